import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { AuthConfigError, parseAuthConfig } from '../../src/gateway/auth/config.ts';

describe('parseAuthConfig', () => {
  it('defaults to development with the dev key in the data directory', () => {
    expect(parseAuthConfig({}, '/srv/data')).toEqual({ mode: 'development', devKeyFile: '/srv/data/dev-signing-key.json' });
    expect(parseAuthConfig({ DEV_KEY_FILE: 'k.json' }, '/srv/data')).toEqual({
      mode: 'development',
      devKeyFile: path.resolve('k.json'),
    });
  });

  it('never defaults to development under NODE_ENV=production', () => {
    expect(() => parseAuthConfig({ NODE_ENV: 'production' }, 'data')).toThrow(AuthConfigError);
    expect(parseAuthConfig({ NODE_ENV: 'production', AUTH_MODE: 'development' }, 'data').mode).toBe('development');
  });

  it('refuses production without keys, issuer and audience, naming every missing variable', () => {
    let error: unknown;
    try {
      parseAuthConfig({ AUTH_MODE: 'production', AUTH_ISSUER: ' ' }, 'data');
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(AuthConfigError);
    const message = (error as Error).message;
    for (const name of ['AUTH_JWKS_FILE', 'AUTH_JWKS_URL', 'AUTH_ISSUER', 'AUTH_AUDIENCE']) expect(message).toContain(name);

    expect(() => parseAuthConfig({ AUTH_MODE: 'production', AUTH_JWKS_FILE: 'j.json', AUTH_ISSUER: 'i' }, 'data')).toThrow(
      /needs AUTH_AUDIENCE to verify/,
    );
  });

  it('accepts production with a JWKS file or an https (or loopback http) JWKS URL', () => {
    const base = { AUTH_MODE: 'production', AUTH_ISSUER: 'https://as', AUTH_AUDIENCE: 'https://gw/fhir' };
    expect(parseAuthConfig({ ...base, AUTH_JWKS_FILE: '/etc/jwks.json' }, 'data')).toEqual({
      mode: 'production',
      jwksFile: '/etc/jwks.json',
      issuer: 'https://as',
      audience: 'https://gw/fhir',
    });
    expect(parseAuthConfig({ ...base, AUTH_JWKS_URL: 'https://as/jwks' }, 'data')).toMatchObject({ jwksUrl: 'https://as/jwks' });
    expect(parseAuthConfig({ ...base, AUTH_JWKS_URL: 'http://127.0.0.1:8080/jwks' }, 'data').mode).toBe('production');
    expect(() => parseAuthConfig({ ...base, AUTH_JWKS_URL: 'http://as.example/jwks' }, 'data')).toThrow(/https/);
    expect(() => parseAuthConfig({ ...base, AUTH_JWKS_URL: 'https://a/j', AUTH_JWKS_FILE: 'f' }, 'data')).toThrow(/only one/);
  });

  it('rejects an unknown AUTH_MODE', () => {
    expect(() => parseAuthConfig({ AUTH_MODE: 'prod' }, 'data')).toThrow(/AUTH_MODE/);
  });
});

describe('MLLP configuration', () => {
  it('is off by default, on loopback when MLLP_PORT is set, and remote only when asked for explicitly', async () => {
    const { loadConfig, ConfigError } = await import('../../src/gateway/config.ts');
    expect(loadConfig({ DATA_DIR: '/tmp/x' }).mllp).toBeUndefined();
    expect(loadConfig({ DATA_DIR: '/tmp/x', MLLP_PORT: '2575' }).mllp).toEqual({ host: '127.0.0.1', port: 2575 });
    expect(() => loadConfig({ DATA_DIR: '/tmp/x', MLLP_PORT: '2575', MLLP_HOST: '0.0.0.0' })).toThrow(ConfigError);
    expect(() => loadConfig({ DATA_DIR: '/tmp/x', MLLP_PORT: '2575', MLLP_HOST: '0.0.0.0' })).toThrow(/MLLP_ALLOW_REMOTE=true/);
    expect(loadConfig({ DATA_DIR: '/tmp/x', MLLP_PORT: '2575', MLLP_HOST: '0.0.0.0', MLLP_ALLOW_REMOTE: 'true' }).mllp?.host).toBe('0.0.0.0');
  });
});

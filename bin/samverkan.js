#!/usr/bin/env node
// The installed `samverkan` command: Node 24 runs the TypeScript sources directly (type stripping).
import '../src/gateway/cli.ts';

// Settlement months as 'YYYY-MM' text: they sort and compare as strings.

export function isMonth(s: string): boolean {
  return /^\d{4}-(0[1-9]|1[0-2])$/.test(s);
}

export function nextMonth(m: string): string {
  let y = Number(m.slice(0, 4));
  let mo = Number(m.slice(5, 7)) + 1;
  if (mo === 13) {
    mo = 1;
    y++;
  }
  return `${y}-${String(mo).padStart(2, '0')}`;
}

/** First and last day of the month, 'YYYY-MM-DD'. */
export function monthBounds(m: string): { start: string; end: string } {
  const y = Number(m.slice(0, 4));
  const mo = Number(m.slice(5, 7));
  const last = new Date(Date.UTC(y, mo, 0)).getUTCDate();
  return { start: `${m}-01`, end: `${m}-${String(last).padStart(2, '0')}` };
}

const pad = (n: number, w = 2): string => String(n).padStart(w, '0');

/** Local time as YYYYMMDDhhmmss (the seed's `timeStamp`). */
export function localTimeStamp(ms: number): string {
  const d = new Date(ms);
  return `${pad(d.getFullYear(), 4)}${pad(d.getMonth() + 1)}${pad(d.getDate())}${pad(d.getHours())}${pad(d.getMinutes())}${pad(d.getSeconds())}`;
}

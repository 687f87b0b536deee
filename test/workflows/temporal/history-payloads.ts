/**
 * The largest payload in a workflow history: workflows must pass references and counts, never
 * rows (Temporal warns at 256 KB a payload and fails at 2 MB). Works on a history fetched from
 * the server (bytes) and on its JSON form (base64 text).
 */
export function largestPayload(history: unknown): { bytes: number; where: string } {
  let largest = { bytes: 0, where: '' };
  const visit = (node: unknown, path: string) => {
    if (Array.isArray(node)) return node.forEach((child, i) => visit(child, `${path}[${i}]`));
    if (node === null || typeof node !== 'object') return;
    for (const [key, value] of Object.entries(node)) {
      if (key === 'payloads' && Array.isArray(value)) {
        for (const [i, payload] of value.entries()) {
          const data = (payload as { data?: Uint8Array | string }).data;
          const bytes = data === undefined ? 0 : typeof data === 'string' ? Buffer.from(data, 'base64').length : data.length;
          if (bytes > largest.bytes) largest = { bytes, where: `${path}.payloads[${i}]` };
        }
      } else visit(value, `${path}.${key}`);
    }
  };
  visit(history, 'history');
  return largest;
}

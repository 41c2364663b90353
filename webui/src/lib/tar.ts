/** Reads the model definition the master sends (a base64 gzip-compressed tar) into files, in the browser. */

export interface TarFile { path: string; content: string; size: number }

export async function gunzip(bytes: Uint8Array<ArrayBuffer>): Promise<Uint8Array> {
  const stream = new Response(bytes).body!.pipeThrough(new DecompressionStream('gzip'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

function text(bytes: Uint8Array, start: number, length: number): string {
  let end = start;
  while (end < start + length && bytes[end] !== 0) end++;
  return new TextDecoder().decode(bytes.subarray(start, end));
}

/** The regular files of a ustar archive (with GNU long names and pax paths), contents decoded as UTF-8. */
export function untar(bytes: Uint8Array): TarFile[] {
  const files: TarFile[] = [];
  let offset = 0;
  let longName: string | null = null;
  while (offset + 512 <= bytes.length) {
    if (bytes[offset] === 0) break;
    const name = text(bytes, offset, 100);
    const size = parseInt(text(bytes, offset + 124, 12).trim() || '0', 8);
    const type = String.fromCharCode(bytes[offset + 156] || 48);
    const prefix = text(bytes, offset + 345, 155);
    const body = bytes.subarray(offset + 512, offset + 512 + size);
    if (type === 'L') longName = text(body, 0, size);
    else if (type === 'x') {
      const match = /\d+ path=([^\n]*)\n/.exec(new TextDecoder().decode(body));
      if (match) longName = match[1];
    } else if (type === '0' || type === '\0') {
      const path = longName ?? (prefix ? `${prefix}/${name}` : name);
      files.push({ path: path.replace(/^\.\//, ''), content: new TextDecoder().decode(body), size });
      longName = null;
    } else longName = null;
    offset += 512 + Math.ceil(size / 512) * 512;
  }
  return files.sort((a, b) => a.path.localeCompare(b.path));
}

export async function readModelDefinition(b64: string): Promise<TarFile[]> {
  const raw = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
  return untar(await gunzip(raw));
}

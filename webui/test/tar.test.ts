import { describe, expect, it } from 'vitest';
import { gzipSync } from 'node:zlib';
import { readModelDefinition, untar } from '../src/lib/tar';

function header(name: string, size: number, type = '0'): Uint8Array {
  const h = new Uint8Array(512);
  const put = (text: string, at: number) => h.set(new TextEncoder().encode(text), at);
  put(name, 0);
  put('0000644\0', 100);
  put(size.toString(8).padStart(11, '0') + '\0', 124);
  put(type, 156);
  put('ustar\0', 257);
  return h;
}
function tar(files: [string, string][]): Uint8Array {
  const parts: Uint8Array[] = [];
  for (const [name, content] of files) {
    const body = new TextEncoder().encode(content);
    parts.push(header(name, body.length));
    const padded = new Uint8Array(Math.ceil(body.length / 512) * 512);
    padded.set(body);
    parts.push(padded);
  }
  parts.push(new Uint8Array(1024));
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) { out.set(p, at); at += p.length; }
  return out;
}

describe('model definition archive', () => {
  it('reads the files of a tar', () => {
    const files = untar(tar([['./model_def.cs', 'class IrisTrial {}'], ['data/iris.csv', 'a,b\n1,2\n']]));
    expect(files.map((f) => f.path)).toEqual(['data/iris.csv', 'model_def.cs']);
    expect(files[1].content).toBe('class IrisTrial {}');
  });
  it('reads the base64 gzip tar the master sends', async () => {
    const b64 = Buffer.from(gzipSync(tar([['const.yaml', 'name: x']]))).toString('base64');
    const files = await readModelDefinition(b64);
    expect(files).toEqual([{ path: 'const.yaml', content: 'name: x', size: 7 }]);
  });
});

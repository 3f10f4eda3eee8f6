import { Buffer } from 'node:buffer';

// What VS Code does with `webview.postMessage(message)` between the extension host and the webview,
// step by step as its code does it (read in the bundle of the pinned code-server 4.139: extHostWebview's
// serializeWebviewMessage, RPCProtocol's MessageBuffer, mainThreadWebviews' deserializeWebviewMessage,
// webviewElement's postMessage and the webview's pre/index.html):
//
// extension host   JSON.stringify with a replacer that sets every typed array and ArrayBuffer aside
//                  (one reference per distinct buffer), then RPC's message buffer: the JSON's UTF-8
//                  and each buffer copied into ONE byte array that goes down the IPC channel.
// workbench        each buffer copied out into a new ArrayBuffer, the JSON parsed (with a reviver
//                  that puts the typed arrays back, only when there are buffers), then posted over a
//                  MessagePort to the webview's outer frame with NO transfer list (a structured clone,
//                  buffers copied), which posts it on to the page's frame transferring the buffers.
//
// `hostSerialize` is the first row, `rendererParse` and `webviewClone` the second.

const REF = '$$vscode_array_buffer_reference$$';
/** VS Code's numbering of the typed-array kinds (1 = Int8Array … 9 = Float64Array). */
const VIEWS = [undefined, Int8Array, Uint8Array, Uint8ClampedArray, Int16Array, Uint16Array, Int32Array, Uint32Array, Float32Array, Float64Array] as const;
type ViewCtor = NonNullable<(typeof VIEWS)[number]>;

interface Ref {
  [REF]: true;
  index: number;
  view?: { type: number; byteLength: number; byteOffset: number };
}

/** The message as the extension host puts it on the IPC channel: one byte array. */
export function hostSerialize(message: unknown): Uint8Array {
  const buffers: ArrayBufferLike[] = [];
  const add = (b: ArrayBufferLike): number => {
    let index = buffers.indexOf(b);
    if (index < 0) index = buffers.push(b) - 1;
    return index;
  };
  const json = JSON.stringify(message, (_k, v: unknown) => {
    if (v instanceof ArrayBuffer) return { [REF]: true, index: add(v) } satisfies Ref;
    if (ArrayBuffer.isView(v)) {
      const type = VIEWS.indexOf(v.constructor as ViewCtor);
      if (type > 0) return { [REF]: true, index: add(v.buffer), view: { type, byteLength: v.byteLength, byteOffset: v.byteOffset } } satisfies Ref;
    }
    return v;
  });
  // RPC's MessageBuffer: sizes first, then the JSON's bytes and each buffer's bytes copied in.
  const text = Buffer.from(json, 'utf8');
  const size = 8 + text.byteLength + buffers.reduce((n, b) => n + 4 + b.byteLength, 0);
  const frame = Buffer.allocUnsafe(size);
  let at = frame.writeUInt32BE(buffers.length, 0);
  at = frame.writeUInt32BE(text.byteLength, at);
  frame.set(text, at);
  at += text.byteLength;
  for (const b of buffers) {
    at = frame.writeUInt32BE(b.byteLength, at);
    frame.set(new Uint8Array(b), at);
    at += b.byteLength;
  }
  return frame;
}

/** The workbench's side: the message out of the byte array, its buffers copied out, typed arrays revived. */
export function rendererParse(frame: Uint8Array): { message: unknown; buffers: ArrayBuffer[] } {
  const bytes = Buffer.from(frame.buffer, frame.byteOffset, frame.byteLength);
  const count = bytes.readUInt32BE(0);
  const length = bytes.readUInt32BE(4);
  let at = 8;
  const json = bytes.subarray(at, at + length).toString('utf8');
  at += length;
  const buffers: ArrayBuffer[] = [];
  for (let i = 0; i < count; i++) {
    const n = bytes.readUInt32BE(at);
    at += 4;
    // mainThreadWebviews copies each buffer into an ArrayBuffer of its own.
    const copy = new ArrayBuffer(n);
    new Uint8Array(copy).set(bytes.subarray(at, at + n));
    buffers.push(copy);
    at += n;
  }
  const revive = (_k: string, v: unknown): unknown => {
    if (!v || typeof v !== 'object' || !(v as Ref)[REF]) return v;
    const { index, view } = v as Ref;
    if (!view) return buffers[index];
    const T = VIEWS[view.type]!;
    return new T(buffers[index], view.byteOffset, view.byteLength / T.BYTES_PER_ELEMENT);
  };
  return { message: buffers.length ? JSON.parse(json, revive) : JSON.parse(json), buffers };
}

/** Into the page: a MessagePort post with no transfer list, then the outer frame's post that transfers. */
export function webviewClone(parsed: { message: unknown; buffers: ArrayBuffer[] }): unknown {
  const outer = structuredClone({ message: parsed.message, transfer: parsed.buffers });
  return structuredClone(outer.message, { transfer: outer.transfer });
}

/** The JSON's bytes and the binary bytes an IPC message carries. */
export function frameSizes(frame: Uint8Array): { json: number; binary: number } {
  const bytes = Buffer.from(frame.buffer, frame.byteOffset, frame.byteLength);
  const json = bytes.readUInt32BE(4);
  return { json, binary: frame.byteLength - 8 - json - 4 * bytes.readUInt32BE(0) };
}

// heic-decode ships no types. This covers the parts Collections uses (v2.x).
declare module 'heic-decode' {
  interface DecodedImage {
    width: number;
    height: number;
    /** RGBA, 4 bytes per pixel, row after row. */
    data: Uint8ClampedArray;
  }
  interface ImageHandle {
    /** Size read from the container, before any pixel is decoded. */
    width: number;
    height: number;
    decode(): Promise<DecodedImage>;
  }
  interface DecodeFn {
    (input: { buffer: Uint8Array }): Promise<DecodedImage>;
    /** Every top-level image; call `dispose()` on the array when done to free wasm memory. */
    all(input: { buffer: Uint8Array }): Promise<ImageHandle[] & { dispose(): void }>;
  }
  const decode: DecodeFn;
  export default decode;
}

/**
 * Reads a QR code back from a PNG with decoders the service does not use: pngjs for the pixels and
 * jsQR for the code, so a QR drawn wrongly by the `qrcode` package fails the read.
 */
import jsQR from 'jsqr';
import { PNG } from 'pngjs';
import { request } from 'undici';

/** Fetches an image as bytes (the JSON test client reads bodies as text, which mangles a PNG). */
export async function fetchImage(url: string, headers: Record<string, string> = {}): Promise<{ status: number; contentType: string; bytes: Buffer }> {
  const response = await request(url, { headers });
  return { status: response.statusCode, contentType: String(response.headers['content-type'] ?? ''), bytes: Buffer.from(await response.body.arrayBuffer()) };
}

/** The text a PNG's QR code holds; throws when the image holds no readable QR code. */
export function readQrPng(png: Buffer): { text: string } {
  const image = PNG.sync.read(png);
  const code = jsQR(new Uint8ClampedArray(image.data), image.width, image.height);
  if (!code) throw new Error(`no QR code could be read from the ${image.width}×${image.height} PNG`);
  return { text: code.data };
}

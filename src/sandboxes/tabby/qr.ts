/**
 * The QR image behind `qr_code` (seed 003): a black-and-white 200×200 PNG encoding the session's
 * web_url, so a POS can show it without a QR library and a phone can scan it into the sandbox's
 * checkout page. Tabby's is under 1 KB; the qrcode package writes RGBA, about 2 KB.
 */
import QRCode from 'qrcode';

export function qrPng(text: string): Promise<Buffer> {
  return QRCode.toBuffer(text, {
    type: 'png',
    width: 200,
    margin: 2,
    errorCorrectionLevel: 'L',
    color: { dark: '#000000', light: '#ffffff' },
  });
}

/**
 * SEQR's QR links (seqr.md §3): the per-invoice code `HTTP://SEQR.SE/R<invoiceReference>` and the
 * till's static sticker `HTTP://SEQR.SE/Q<seqrId>`, which reaches whatever invoice is open on the
 * terminal the sticker is assigned to.
 */
export function invoiceQrCode(invoiceReference: string): string {
  return `HTTP://SEQR.SE/R${invoiceReference}`;
}

export function stickerQrCode(seqrId: string): string {
  return `HTTP://SEQR.SE/Q${seqrId}`;
}

/** Search attributes of the contract ("Operations"); registered with the server from temporal-config/. */
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

export const PaymentProvider = defineSearchAttributeKey('PaymentProvider', SearchAttributeType.KEYWORD);
export const PaymentState = defineSearchAttributeKey('PaymentState', SearchAttributeType.KEYWORD);
export const MerchantId = defineSearchAttributeKey('MerchantId', SearchAttributeType.KEYWORD);
export const PosId = defineSearchAttributeKey('PosId', SearchAttributeType.KEYWORD);
export const PosTid = defineSearchAttributeKey('PosTid', SearchAttributeType.KEYWORD);
export const PaymentAmount = defineSearchAttributeKey('PaymentAmount', SearchAttributeType.INT);
export const PaymentCurrency = defineSearchAttributeKey('PaymentCurrency', SearchAttributeType.KEYWORD);

/**
 * The operations of SEQR's WSDL (seqr.md §3) and a short WSDL document for `GET <endpoint>?wsdl`,
 * enough for a person or a tool to see what the endpoint speaks. The full schema is SEQR's; this
 * one names the service, port, binding and operations (document/literal, soapAction "").
 */
import { SEQR_NAMESPACE } from './soap-envelopes';

/** The operations the sandbox implements. */
export const IMPLEMENTED_OPERATIONS = [
  'registerTerminal',
  'unregisterTerminal',
  'assignSeqrId',
  'sendInvoice',
  'getPaymentStatus',
  'cancelInvoice',
  'refundPayment',
  'submitPaymentReceipt',
] as const;
export type ImplementedOperation = (typeof IMPLEMENTED_OPERATIONS)[number];

/** In SEQR's WSDL but not modelled by the sandbox: answered with 91 UNSUPPORTED_OPERATION. */
export const UNMODELLED_OPERATIONS = [
  'updateInvoice',
  'commitReservation',
  'markTransactionPeriod',
  'executeReport',
  'requestPurchase',
  'requestTopup',
  'requestTransfer',
  'requestPrincipalInformation',
  'changePrincipalPassword',
  'confirmCustomerRegistration',
  'benchmarkingNop',
] as const;

export const WSDL_OPERATIONS = [...IMPLEMENTED_OPERATIONS, ...UNMODELLED_OPERATIONS] as const;

export function wsdlDocument(endpoint: string): string {
  const messages = WSDL_OPERATIONS
    .map((op) => `  <wsdl:message name="${op}"><wsdl:part name="parameters" element="tns:${op}"/></wsdl:message>
  <wsdl:message name="${op}Response"><wsdl:part name="parameters" element="tns:${op}Response"/></wsdl:message>`)
    .join('\n');
  const portOperations = WSDL_OPERATIONS
    .map((op) => `    <wsdl:operation name="${op}"><wsdl:input message="tns:${op}"/><wsdl:output message="tns:${op}Response"/></wsdl:operation>`)
    .join('\n');
  const bindingOperations = WSDL_OPERATIONS
    .map((op) => `    <wsdl:operation name="${op}"><soap:operation soapAction=""/><wsdl:input><soap:body use="literal"/></wsdl:input><wsdl:output><soap:body use="literal"/></wsdl:output></wsdl:operation>`)
    .join('\n');
  return `<?xml version="1.0" encoding="UTF-8"?>
<!-- SEQR sandbox: the service outline of ERSWSExternalClientService (API v2.6); element types are SEQR's, elementFormDefault="unqualified". -->
<wsdl:definitions name="ERSWSExternalClientServiceService" targetNamespace="${SEQR_NAMESPACE}" xmlns:wsdl="http://schemas.xmlsoap.org/wsdl/" xmlns:tns="${SEQR_NAMESPACE}" xmlns:soap="http://schemas.xmlsoap.org/wsdl/soap/">
${messages}
  <wsdl:portType name="ERSWSExternalClientService">
${portOperations}
  </wsdl:portType>
  <wsdl:binding name="ERSWSExternalClientServiceServiceSoapBinding" type="tns:ERSWSExternalClientService">
    <soap:binding style="document" transport="http://schemas.xmlsoap.org/soap/http"/>
${bindingOperations}
  </wsdl:binding>
  <wsdl:service name="ERSWSExternalClientServiceService">
    <wsdl:port name="ERSWSExternalClientServicePort" binding="tns:ERSWSExternalClientServiceServiceSoapBinding"><soap:address location="${endpoint}"/></wsdl:port>
  </wsdl:service>
</wsdl:definitions>
`;
}

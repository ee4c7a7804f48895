/**
 * The memo field a workflow's starter sets to `true` to have the workflow traced (see
 * tracing-interceptors.ts). Its own module so the ingress can name it without loading workflow code.
 */
export const TRACING_MEMO = 'tracing';

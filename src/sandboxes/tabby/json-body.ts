/**
 * Request bodies are JSON whatever Content-Type says (Tabby's plugins do not all send one), and are
 * parsed only after authentication, so a bad key is a 401 even when the body is garbage. A body
 * that does not parse reaches the app's error handler as Tabby's 400 `could not decode request`.
 */
import express, { type RequestHandler } from 'express';

export const jsonBody: RequestHandler = express.json({ type: () => true, limit: '1mb' });


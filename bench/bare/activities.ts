/**
 * The reference the payment flow is compared with: four activities, each one small HTTP round trip
 * to the same sandbox process the payment activities talk to, and nothing else.
 */
import { Agent, request } from 'undici';

const agent = new Agent({ connections: 256, pipelining: 1 });

export function createBareActivities(probeUrl: string) {
  const roundTrip = async (): Promise<number> => {
    const response = await request(probeUrl, { dispatcher: agent, signal: AbortSignal.timeout(10_000) });
    await response.body.dump();
    return response.statusCode;
  };
  // As many activities as a Settle payment schedules on its happy path: prepare, engage, the poll, capture.
  return { prepare: roundTrip, engage: roundTrip, observe: roundTrip, capture: roundTrip };
}

export type BareActivities = ReturnType<typeof createBareActivities>;

/** Phone pairing (ours): create a one-time code while signed in; a phone exchanges it for a session. */
import type { AddressInfo } from 'node:net';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { PairRequest } from '@photosync/protocol';
import type { AccountService } from '../../services/accounts/account-service.ts';
import { phoneUrls } from '../../services/network/lan-addresses.ts';
import type { PairingService } from '../../services/pairing/pairing-service.ts';
import { pairingServerUrls } from '../../services/pairing/server-urls.ts';
import { caller, requireAuth } from '../authenticate.ts';
import { parseInput } from '../parse.ts';

export interface PairingRouteDeps {
  readonly accounts: AccountService;
  readonly pairing: PairingService;
  /** The address the server listens on (HOST). */
  readonly host: string;
}

function serverUrls(request: FastifyRequest, host: string): string[] {
  const address = request.server.server.address() as AddressInfo | null;
  const lan = address ? phoneUrls(host, address.port) : [];
  return pairingServerUrls(lan, `${request.protocol}://${request.host}`);
}

export function pairingRoutes(app: FastifyInstance, deps: PairingRouteDeps): void {
  app.post('/api/v2/pair/codes', { preHandler: requireAuth(deps.accounts) }, async (request, reply) => {
    const created = await deps.pairing.createCode(caller(request));
    reply.header('cache-control', 'no-store');
    return reply.status(201).send({ ...created, serverUrls: serverUrls(request, deps.host) });
  });

  app.post('/api/v2/pair', async (request) => {
    const body = parseInput(PairRequest, request.body);
    return deps.pairing.redeem({
      code: body.code,
      deviceUuid: body.device_uuid,
      deviceName: body.device_name,
      clientAddress: request.ip,
    });
  });
}

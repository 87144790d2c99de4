/** Response helpers shared by the route lists. */
import { ErrorBody } from '../common.ts';

export const error = (description: string) => ({ description, schema: ErrorBody });

export const authErrors = {
  400: error('Missing X-Device-UUID header, or invalid input'),
  401: error('No bearer token'),
  403: error('Invalid, expired or revoked token, or X-Device-UUID differs from the token'),
};

/** Server and account routes (compatibility API, PROTOCOL.md §1–2). */
import {
  DeleteAccountResponse,
  LoginRequest,
  LoginResponse,
  RegisterRequest,
  RegisterResponse,
  ResetPasswordDeviceRequest,
} from '../accounts.ts';
import { Health, MessageBody } from '../common.ts';
import type { RouteSpec } from '../route-spec.ts';
import { authErrors, error } from './shared.ts';

export const accountRoutes: readonly RouteSpec[] = [
  {
    method: 'get',
    path: '/health',
    summary: 'Liveness',
    tag: 'server',
    auth: false,
    responses: { 200: { description: 'Up', schema: Health } },
  },
  {
    method: 'get',
    path: '/api/docs/openapi.json',
    summary: 'This document',
    tag: 'server',
    auth: false,
    responses: { 200: { description: 'OpenAPI 3.1 document' } },
  },
  {
    method: 'post',
    path: '/api/register',
    summary: 'Create an account and sign in',
    description: 'The first account becomes the administrator. Passwords need at least 8 characters.',
    tag: 'compat: accounts',
    auth: false,
    body: { kind: 'json', schema: RegisterRequest },
    responses: {
      201: { description: 'Created; token bound to the device uuid', schema: RegisterResponse },
      400: error('Missing or invalid fields, or password too short'),
      403: error('Registration is closed on this server'),
      409: error('Email already exists'),
      429: error('Too many attempts'),
    },
  },
  {
    method: 'post',
    path: '/api/login',
    summary: 'Sign in a device',
    tag: 'compat: accounts',
    auth: false,
    body: { kind: 'json', schema: LoginRequest },
    responses: {
      200: { description: 'Token bound to device_uuid (valid 30 days)', schema: LoginResponse },
      400: error('Missing credentials or device ID'),
      401: error('Invalid credentials'),
      429: error('Too many attempts'),
    },
  },
  {
    method: 'post',
    path: '/api/reset-password-device',
    summary: 'Reset a password from the device registered with the account',
    description: 'Signs out every session of the account.',
    tag: 'compat: accounts',
    auth: false,
    body: { kind: 'json', schema: ResetPasswordDeviceRequest },
    responses: {
      200: { description: 'Password changed', schema: MessageBody },
      400: error('Missing fields or password too short'),
      403: error('hint: no_hardware_id_stored or device_mismatch'),
      429: error('Too many attempts'),
    },
  },
  {
    method: 'delete',
    path: '/api/account',
    summary: 'Delete the account with every file, row and token',
    tag: 'compat: accounts',
    auth: true,
    responses: { 200: { description: 'Deleted', schema: DeleteAccountResponse }, ...authErrors },
  },
];

import { ExecutionContext, createParamDecorator } from '@nestjs/common';
import type { Request } from 'express';
import { signInRequired } from '../accounts/account-errors';
import { Principal, principalOf } from '../accounts/principal';
import { clientAddress } from '../accounts/request-credentials';

/** Who is acting on a matter and from where: what every audit record of it needs. */
export interface StaffContext {
  principal: Principal;
  ip: string | null;
}

export function staffContext(principal: Principal, req: Request): StaffContext {
  return { principal, ip: clientAddress(req) };
}

/** The handler's `staffContext`, for handlers that need the principal only to pass it on. */
export const CurrentStaff = createParamDecorator(
  (_data: unknown, context: ExecutionContext): StaffContext => {
    const req = context.switchToHttp().getRequest<Request>();
    const principal = principalOf(req);
    if (!principal) throw signInRequired();
    return staffContext(principal, req);
  },
);

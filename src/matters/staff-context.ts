import type { Request } from 'express';
import type { Principal } from '../accounts/principal';
import { clientAddress } from '../accounts/request-credentials';

/** Who is acting on a matter and from where: what every audit record of it needs. */
export interface StaffContext {
  principal: Principal;
  ip: string | null;
}

export function staffContext(principal: Principal, req: Request): StaffContext {
  return { principal, ip: clientAddress(req) };
}

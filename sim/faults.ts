/** Fault injection by attempt number, and the record of every attempt. */
import type { Service } from './errors.js';

/**
 * throttle and server-error: refused, not applied. timeout: the request timed
 * out before the service got it (not applied; costs TIMEOUT_MS of virtual
 * time). lost-response: applied, then the connection dropped. The SDK retries all four.
 */
export type FaultKind = 'throttle' | 'server-error' | 'timeout' | 'lost-response';

/** Virtual time a timed-out attempt costs. */
export const TIMEOUT_MS = 5_000;

export interface Fault {
  /** 1-based index over all SDK attempts the simulator receives (retries included). */
  atCall: number;
  kind: FaultKind;
  /** Consecutive attempts affected; default 1. */
  repeat?: number;
}

export interface CallRecord {
  seq: number;
  /** Virtual epoch ms. */
  at: number;
  service: Service;
  /** Operation name without the Command suffix, e.g. 'ModifyListener'. */
  command: string;
  input: unknown;
  mutating: boolean;
  fault?: FaultKind;
}

const MUTATING =
  /^(Create|Update|Modify|Delete|Start|Cancel|Rollback|Put|Set|Register|Deregister|Attach|Detach|Terminate|Enable|Disable|Suspend|Resume|Complete|Record|Execute|Add|Remove|Run|Stop|Reboot|Reset|Replace|Associate|Disassociate|Apply|Tag|Untag|Batch)/;

export function isMutating(command: string): boolean {
  return MUTATING.test(command);
}

export class FaultPlan {
  private faults: Fault[] = [];

  add(f: Fault): void {
    if (!Number.isInteger(f.atCall) || f.atCall < 1)
      throw new RangeError(`Fault.atCall must be >= 1, got ${f.atCall}`);
    const repeat = f.repeat ?? 1;
    if (!Number.isInteger(repeat) || repeat < 1)
      throw new RangeError(`Fault.repeat must be >= 1, got ${repeat}`);
    this.faults.push({ ...f, repeat });
  }

  /** The fault for attempt `seq`, if any (the first injected wins). */
  at(seq: number): FaultKind | undefined {
    return this.faults.find((f) => seq >= f.atCall && seq < f.atCall + (f.repeat ?? 1))?.kind;
  }
}

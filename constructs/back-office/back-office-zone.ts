import { RemovalPolicy } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { pascal } from '../naming';
import { ISystemOfRecord, LedgerKeys, SystemOfRecord } from './system-of-record';

/** A capability to build in the back office. */
export interface BackOfficeCapability {
  /** The capability's name, e.g. `orders`. */
  readonly name: string;
  /** The keys of its ledger. */
  readonly ledger: LedgerKeys;
  /** Whether it accepts commands (and so needs an intake queue). */
  readonly acceptsCommands: boolean;
}

export interface BackOfficeZoneProps {
  /** The systems of record to build, one per capability. */
  readonly capabilities: readonly BackOfficeCapability[];
  /**
   * The zone's customer-managed key.
   * @default - a new key with yearly rotation, retained when the stack is deleted
   */
  readonly key?: kms.IKey;
  /**
   * Description of the zone key, shown in the KMS console.
   * @default 'Office Zones back-office key'
   */
  readonly keyDescription?: string;
}

/**
 * The back-office zone: IT's governed systems of record for book to bill.
 *
 * Default settings:
 * - one customer-managed KMS key for the zone, rotation on, retained on stack deletion;
 * - one `SystemOfRecord` per capability (see its default settings).
 */
export class BackOfficeZone extends Construct {
  readonly key: kms.IKey;
  private readonly systems = new Map<string, SystemOfRecord>();

  constructor(scope: Construct, id: string, props: BackOfficeZoneProps) {
    super(scope, id);
    this.key =
      props.key ??
      new kms.Key(this, 'Key', {
        description: props.keyDescription ?? 'Office Zones back-office key',
        enableKeyRotation: true,
        removalPolicy: RemovalPolicy.RETAIN,
      });
    for (const capability of props.capabilities) this.addCapability(capability);
  }

  /** Adds a capability's system of record to the zone. */
  addCapability(capability: BackOfficeCapability): ISystemOfRecord {
    if (this.systems.has(capability.name)) {
      throw new Error(`the back office already has a capability named ${capability.name}`);
    }
    const system = new SystemOfRecord(this, pascal(capability.name), {
      capabilityName: capability.name,
      key: this.key,
      ledger: capability.ledger,
      acceptsCommands: capability.acceptsCommands,
    });
    this.systems.set(capability.name, system);
    return system;
  }

  /** The system of record of a capability. */
  capability(name: string): ISystemOfRecord {
    const system = this.systems.get(name);
    if (!system) throw new Error(`the back office has no capability named ${name}`);
    return system;
  }

  get capabilities(): ISystemOfRecord[] {
    return [...this.systems.values()];
  }
}

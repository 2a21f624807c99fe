import { accountBoundary } from './paths/AccountBoundary';
import { alarmNotifications } from './paths/AlarmNotifications';
import { apiGatewayIntegrations } from './paths/ApiGatewayIntegrations';
import { backup } from './paths/Backup';
import { deployDynamicReferences } from './paths/DeployDynamicReferences';
import { deployEncryptedResources } from './paths/DeployEncryptedResources';
import { deployResourcePolicies } from './paths/DeployResourcePolicies';
import { eventSourceMappings } from './paths/EventSourceMappings';
import { functionResources } from './paths/FunctionResources';
import { maintainer } from './paths/Maintainer';
import { operator } from './paths/Operator';
import { originAccessControl } from './paths/OriginAccessControl';
import { productCredentials } from './paths/ProductCredentials';
import { secretRotation } from './paths/SecretRotation';
import type { AccessPathKind } from './paths/shared';
import { zoneIsolation } from './paths/ZoneIsolation';

/** Every kind of access path, one file each under `paths/`, in the order the report lists them. */
export const ACCESS_PATH_KINDS: readonly AccessPathKind[] = [
  deployDynamicReferences,
  deployEncryptedResources,
  deployResourcePolicies,
  apiGatewayIntegrations,
  eventSourceMappings,
  functionResources,
  alarmNotifications,
  backup,
  productCredentials,
  secretRotation,
  originAccessControl,
  operator,
  maintainer,
  zoneIsolation,
  accountBoundary,
];

import { errorText } from './aws.js';
import { apiRoutingCheck, webAppCheck } from './checks/api.js';
import { cognitoCheck } from './checks/auth.js';
import { outputsCheck, parameterStoreCheck } from './checks/config.js';
import { lambdaRdsCheck, rdsPgvectorCheck } from './checks/database.js';
import { e2eUploadCheck } from './checks/e2e.js';
import { eventbridgeCheck } from './checks/events.js';
import { functionsCheck, lambdaInvokeCheck } from './checks/functions.js';
import { fail, type CheckState, type InfraCheck } from './checks/shared.js';
import { dynamodbCheck, s3Check } from './checks/storage.js';
import { runInOrder, type CheckResult } from './report.js';

export {
  UPLOADS_PATH,
  accountOf,
  httpApiEvent,
  readUploadTicket,
  uniqueTestImage,
  type CheckOutcome,
  type CheckState,
  type InfraCheck,
} from './checks/shared.js';

/**
 * The live checks of `ops test-infra`, in the order they run (later checks use what earlier
 * ones found: function ARNs, the health answer, the signed-in test user). The checks live in
 * checks/, grouped by what they check; what they share is in checks/shared.ts.
 */
export const INFRA_CHECKS: InfraCheck[] = [
  outputsCheck,
  parameterStoreCheck,
  dynamodbCheck,
  s3Check,
  functionsCheck,
  lambdaInvokeCheck,
  lambdaRdsCheck,
  rdsPgvectorCheck,
  eventbridgeCheck,
  cognitoCheck,
  apiRoutingCheck,
  webAppCheck,
  e2eUploadCheck,
];

/** Runs the checks in order; a throw is a failure with the error's first line. */
export async function runChecks(
  checks: readonly InfraCheck[],
  state: CheckState,
  onResult: (r: CheckResult) => void = () => undefined,
): Promise<CheckResult[]> {
  try {
    return await runInOrder(checks, state, onResult, (err) => fail(errorText(err)));
  } finally {
    for (const cleanup of state.cleanups.reverse()) await cleanup().catch(() => undefined);
  }
}

// Runs access-path requests through @cloud-copilot/iam-simulate. Plain CommonJS so that the
// child process of a synth (which has no TypeScript loader) and the tests (in process) run the
// very same code. `engine` is the loaded package; each request is { simulation }.
'use strict';

module.exports.runRequests = async function runRequests(engine, requests) {
  const out = [];
  for (const r of requests) {
    try {
      const res = await engine.runSimulation(r.simulation, { simulationMode: 'Strict' });
      if (res.resultType === 'error') {
        out.push({ reasons: [], error: `${res.errors.message} ${JSON.stringify(res.errors)}` });
        continue;
      }
      const one = res.resultType === 'single' ? res.result : res.results[0] || {};
      const ignored = one.ignoredContextKeys || [];
      const restored =
        res.resultType === 'single' ? await colonVariableKeys(engine, r.simulation, ignored) : [];
      if (restored.length) {
        out.push(await runUnsafe(engine, r.simulation, ignored, restored));
        continue;
      }
      const decision = res.overallResult;
      const reasons = !one.analysis
        ? []
        : decision === 'Allowed'
          ? engine.getGrantReasons(one.analysis)
          : engine.getDenialReasons(one.analysis);
      out.push({ decision, reasons, ignoredContextKeys: ignored });
    } catch (e) {
      out.push({ reasons: [], error: String((e && e.message) || e) });
    }
  }
  return out;
};

/**
 * The context keys `runSimulation` dropped although the action documents them: instances of a
 * variable key whose variable follows a colon, such as `kms:EncryptionContext:aws:logs:arn` of
 * `kms:EncryptionContext:${EncryptionContextKey}`. The engine's validated entry point keeps a
 * variable key only when its variable follows a slash (`aws:ResourceTag/${TagKey}`), so it drops
 * these keys before the policies see them. Only keys some policy of the request names matter.
 */
async function colonVariableKeys(engine, simulation, ignored) {
  if (ignored.length === 0) return [];
  const [service, action] = simulation.request.action.split(':');
  if (await engine.isWildcardOnlyAction(service, action)) return [];
  const resource = simulation.request.resource.resource;
  if (resource.includes('*')) return [];
  const allowed = await engine.allowedContextKeysForRequest(service, action, resource, false);
  const prefixes = allowed
    .filter((k) => /:\$\{[^}]+\}$/.test(k))
    .map((k) => k.slice(0, k.lastIndexOf('${')));
  const policies = JSON.stringify([
    simulation.identityPolicies,
    simulation.resourcePolicy,
    simulation.permissionBoundaryPolicies,
    simulation.serviceControlPolicies,
    simulation.resourceControlPolicies,
  ]).toLowerCase();
  return ignored.filter((key) => {
    const lower = key.toLowerCase();
    return (
      prefixes.some((p) => lower.startsWith(p) && lower.length > p.length) &&
      policies.includes(lower)
    );
  });
}

/**
 * The same request through the engine's `runUnsafeSimulation`, which evaluates the request's
 * context as given. It is called only after `runSimulation` has validated every policy, the
 * action and the resource of this very request, and with the context `runSimulation` would have
 * used, typed the same way, plus the restored keys. It returns the decision alone, so the
 * answer carries no deciding statements. Its resource policy must be named (the engine reads the
 * name of an unnamed one and fails), so it goes in as a validated policy with a name.
 */
async function runUnsafe(engine, simulation, ignored, restored) {
  const dropped = new Set(ignored.filter((k) => !restored.includes(k)));
  const contextVariables = {};
  for (const [key, value] of Object.entries(simulation.request.contextVariables)) {
    if (dropped.has(key)) continue;
    const type = await engine.typeForContextKey(key.toLowerCase());
    contextVariables[key] = engine.isConditionKeyArray(type)
      ? [value].flat()
      : Array.isArray(value)
        ? value[0]
        : value;
  }
  const resourcePolicy = simulation.resourcePolicy && {
    __validated: true,
    policyDocument: simulation.resourcePolicy,
    metadata: { name: 'resource policy' },
    errors: [],
  };
  const decision = engine.runUnsafeSimulation(
    {
      ...simulation,
      request: { ...simulation.request, contextVariables },
      ...(resourcePolicy ? { resourcePolicy } : {}),
    },
    { simulationMode: 'Strict' },
  );
  return {
    decision,
    reasons: [],
    ignoredContextKeys: [...dropped],
    restoredContextKeys: restored,
  };
}

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
      const decision = res.overallResult;
      const reasons = !one.analysis
        ? []
        : decision === 'Allowed'
          ? engine.getGrantReasons(one.analysis)
          : engine.getDenialReasons(one.analysis);
      out.push({ decision, reasons, ignoredContextKeys: one.ignoredContextKeys || [] });
    } catch (e) {
      out.push({ reasons: [], error: String((e && e.message) || e) });
    }
  }
  return out;
};

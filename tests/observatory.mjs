// Scores a local server with the MDN HTTP Observatory's own analyzer
// (npm package @mdn/mdn-http-observatory), as its scan CLI does, but with
// the ports given (the CLI scans ports 80 and 443 only).
//
//   node tests/observatory.mjs HOST HTTP_PORT HTTPS_PORT   → JSON on stdout
//
// Trust the server's certificate with NODE_EXTRA_CA_CERTS. Offline, the
// package's install script cannot download Chromium's HSTS preload list;
// the Makefile then leaves an empty list (a local host is never preloaded).
import { retrieve } from "@mdn/mdn-http-observatory/src/retriever/retriever.js";
import { ALL_TESTS } from "@mdn/mdn-http-observatory/src/constants.js";
import { getGradeForScore, getScoreModifier } from "@mdn/mdn-http-observatory/src/grader/grader.js";
import { MINIMUM_SCORE_FOR_EXTRA_CREDIT } from "@mdn/mdn-http-observatory/src/grader/charts.js";

const [host, httpPort, httpsPort] = process.argv.slice(2);
const requests = await retrieve(host, { httpPort, httpsPort });
if (!requests.responses.auto) {
  console.log(JSON.stringify({ error: "The site seems to be down." }));
  process.exit(1);
}
// The scoring of the package's scanner/index.js `scan()`.
let withExtraCredit = 100;
let uncurved = 100;
const tests = {};
for (const result of ALL_TESTS.map((test) => test(requests))) {
  const modifier = getScoreModifier(result.result);
  withExtraCredit += modifier;
  if (modifier < 0) uncurved += modifier;
  tests[result.constructor.name] = { result: result.result, modifier, pass: result.pass };
}
const score = uncurved >= MINIMUM_SCORE_FOR_EXTRA_CREDIT ? withExtraCredit : uncurved;
const { grade } = getGradeForScore(score);
console.log(JSON.stringify({ score, grade, status: requests.responses.auto.status, tests }, null, 1));

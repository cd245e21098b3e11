import { environmentsFromEnv, reportLines, synthesize } from "./src/app";

// Every environment is validated before any stack exists: a bad value stops synth with nothing written.
// Then one line per stack written, and every warning (alarms that reach nobody, assumptions to confirm).
try {
  for (const line of reportLines(synthesize({ only: environmentsFromEnv(process.env.MYSLP_ENVIRONMENTS) }))) console.log(line);
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
}

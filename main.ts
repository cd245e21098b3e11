import { environmentsFromEnv, synthesize } from "./src/app";

// Every environment is validated before any stack exists: a bad value stops synth with nothing written.
try {
  synthesize({ only: environmentsFromEnv(process.env.MYSLP_ENVIRONMENTS) });
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
}

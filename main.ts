import { App } from "cdktf";
import { loadEnvironments, RAW_ENVIRONMENTS } from "./src/config";
import { buildApp } from "./src/app";

// Validate every environment before any stack exists: a bad value stops synth with nothing written.
let environments;
try {
  const only = process.env.MYSLP_ENVIRONMENTS?.split(",").map((e) => e.trim()).filter((e) => e.length > 0);
  environments = loadEnvironments(RAW_ENVIRONMENTS, only);
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
}

buildApp(new App(), environments).synth();

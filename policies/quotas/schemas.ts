/** The generated configSchema of each quotas policy. */
import file from "./config-schema.json";
import { schemaOf, type SchemaFile } from "../shared/config";

export const configSchema = (policy: string) => schemaOf(file as SchemaFile, policy);

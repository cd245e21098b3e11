import type { WordpressConfig } from "../../config";

/** One container definition, in the ECS RegisterTaskDefinition shape. */
export interface ContainerDefinition {
  name: string;
  image: string;
  essential: boolean;
  portMappings: { containerPort: number; hostPort: number; protocol: "tcp" }[];
  environment: { name: string; value: string }[];
  secrets: { name: string; valueFrom: string }[];
  logConfiguration: { logDriver: "awslogs"; options: Record<string, string> };
  readonlyRootFilesystem: boolean;
}

/**
 * The WordPress container's environment, in the spec's order. WORDPRESS_DEBUG is set only when debugging is
 * on: the official image enables WP_DEBUG for any non-empty value, "false" included (wp-config-docker.php).
 */
export function wordpressEnvironment(wordpress: WordpressConfig): { name: string; value: string }[] {
  return [
    { name: "WP_HOSTURL", value: wordpress.hostUrl },
    { name: "WP_HOME", value: wordpress.home },
    { name: "WP_SITEURL", value: wordpress.siteUrl },
    { name: "WORDPRESS_DB_HOST", value: wordpress.database.host },
    ...(wordpress.debug ? [{ name: "WORDPRESS_DEBUG", value: "true" }] : []),
    { name: "WORDPRESS_CONFIG_EXTRA", value: wordpress.configExtra },
    { name: "WORDPRESS_DB_NAME", value: wordpress.database.name },
    { name: "WORDPRESS_DB_USER", value: wordpress.database.user },
  ];
}

/** The variable the WordPress image reads the database password from; here it is always a secret. */
export const DATABASE_PASSWORD_VARIABLE = "WORDPRESS_DB_PASSWORD";

export interface WordpressContainerProps {
  /** The container's name (the spec's `slp_saas`). */
  readonly name: string;
  /** The image reference (repository URL and tag, or digest). */
  readonly image: string;
  /** The container port (host port equal: awsvpc). */
  readonly port: number;
  /** The WordPress settings that become environment variables and the password secret (config `wordpress`). */
  readonly wordpress: WordpressConfig;
  /** ARN of the secret holding WORDPRESS_DB_PASSWORD. */
  readonly databasePasswordSecretArn: string;
  /** The log group of the awslogs driver. */
  readonly logGroupName: string;
  /** The log group's region. */
  readonly region: string;
}

export function wordpressContainer(props: WordpressContainerProps): ContainerDefinition {
  return {
    name: props.name,
    image: props.image,
    essential: true,
    // awsvpc: the host port must equal the container port (ECS PortMapping API reference).
    portMappings: [{ containerPort: props.port, hostPort: props.port, protocol: "tcp" }],
    environment: wordpressEnvironment(props.wordpress),
    // The password reaches the container from Secrets Manager at start; it is never in the task definition.
    secrets: [{ name: DATABASE_PASSWORD_VARIABLE, valueFrom: props.databasePasswordSecretArn }],
    logConfiguration: {
      logDriver: "awslogs",
      options: {
        "awslogs-group": props.logGroupName,
        "awslogs-region": props.region,
        "awslogs-stream-prefix": props.name,
      },
    },
    // WordPress writes uploads, plugins and debug.log under /var/www/html.
    readonlyRootFilesystem: false,
  };
}

/*
 * The one place where user-provided strings become Terraform literals ("strings reach the container unchanged").
 *
 * Terraform's JSON syntax reads every string as a template: `${...}` is interpolated and `%{...}` is a
 * directive, so PHP such as `"${var}"` in WORDPRESS_CONFIG_EXTRA would either break `terraform validate` or,
 * worse, be evaluated at plan time (`${file("/etc/passwd")}`). The escapes are `$${` and `%%{`
 * (https://developer.hashicorp.com/terraform/language/expressions/strings#escape-sequences-1 and
 * https://developer.hashicorp.com/terraform/language/syntax/json#expression-mapping).
 * cdktf does not escape plain attribute strings at all; inside built-in function arguments
 * (`Fn.base64encode("...")`, `Fn.rawString`) it escapes `${` but not `%{` (cdktf lib/tfExpression.js,
 * escapeString). So no config string may reach a function argument unless its pattern excludes `$`, `%`
 * and `{` (today only the cluster name does, inside the container instance's user data).
 *
 * PlatformStack and StateBootstrapStack convert their whole configuration here, once, at their boundary:
 * constructs below never see a raw user string, and validation above always sees the operator's own text.
 */

/** `text` as a Terraform JSON string literal: `${` -> `$${`, `%{` -> `%%{`; everything else unchanged. */
export function terraformLiteral(text: string): string {
  return text.replace(/([$%])\{/g, "$1$1{");
}

const converted = new WeakSet<object>();

/**
 * A deep copy of plain configuration data with every string (keys excepted: they are schema field names)
 * made a Terraform literal. Converting a converted value again returns it unchanged, so nothing is escaped twice.
 */
export function terraformLiterals<T>(value: T): T {
  if (typeof value === "string") return terraformLiteral(value) as T;
  if (typeof value !== "object" || value === null) return value;
  if (converted.has(value)) return value;
  const copy = Array.isArray(value)
    ? value.map((item) => terraformLiterals(item))
    : Object.fromEntries(Object.entries(value).map(([key, item]) => [key, terraformLiterals(item)]));
  converted.add(copy);
  return copy as T;
}

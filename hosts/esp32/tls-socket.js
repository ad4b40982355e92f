// The SDK's ECMA-419 TLS socket, re-exported from a plain module: mcconfig files
// the SDK's typing for "embedded:io/socket/tcp/tls" under another specifier, so a
// TypeScript import of it fails the per-module type check on a clean build.
// The sibling tls-socket.d.ts gives it the only type the transport needs.
export { default } from "embedded:io/socket/tcp/tls";

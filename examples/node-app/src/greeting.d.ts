declare module "greeting" {
  export function hello(revision: string): string;
}

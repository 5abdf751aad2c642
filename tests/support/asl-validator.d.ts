// asl-validator ships no types: the one function the tests call.
declare module "asl-validator" {
  interface AslError {
    readonly "Error code": string;
    readonly Message: string;
  }
  /** Validates an Amazon States Language definition (it adds QueryLanguage to each state: pass a copy). */
  function validator(
    definition: unknown,
    options?: { checkPaths?: boolean; checkArn?: boolean },
  ): { isValid: boolean; errors: AslError[] };
  export = validator;
}

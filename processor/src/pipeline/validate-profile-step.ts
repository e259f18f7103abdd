import {
  describeProblem,
  firstProblem,
  ok,
  profileRecord,
  quarantine,
  type ProfileRecord,
  type StepResult,
} from '@gosight/schema';

export const VALIDATE_PROFILE_STEP = 'validate-profile';

/**
 * Creates the step that checks one profile of a profiles message (the
 * ingestor wrote it, schema profiles.ts) against the profile record schema;
 * a bad one is quarantined with zod's reason, the others are stored.
 */
export function createValidateProfileStep() {
  return function validateProfile(input: unknown): StepResult<ProfileRecord> {
    const checked = profileRecord.safeParse(input);
    if (checked.success) return ok(checked.data);
    const problem = firstProblem(checked.error);
    return quarantine(
      VALIDATE_PROFILE_STEP,
      describeProblem(problem),
      `${problem.path} ${problem.rule}`.slice(0, 64),
    );
  };
}

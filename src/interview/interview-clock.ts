/** The interview's own token, so its tests can move its time apart from the accounts'. */
export const INTERVIEW_CLOCK = Symbol('InterviewClock');

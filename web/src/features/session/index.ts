export { SessionChip } from './components/session-chip';
export { SignInScreen } from './components/sign-in-screen';

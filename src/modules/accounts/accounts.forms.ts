import { z } from 'zod';
import { checkboxList, requiredText, versionField } from '../../platform/forms/forms.ts';
import { isStaffRole, type StaffRole } from '../../policy/index.ts';
import { odsCodeField, organisationKindField } from '../organisations/index.ts';
import { PASSWORD_MAX } from './passwords.ts';

/**
 * The account pages' forms, with messages written as the NHS service manual's error message guidance
 * asks: say what to do, in plain words.
 */
const email = z
  .string({ error: 'Enter an email address' })
  .trim()
  .min(1, 'Enter an email address')
  .max(254, 'Email address must be 254 characters or fewer')
  .pipe(z.email({ error: 'Enter an email address in the correct format, like name@example.com' }))
  .transform((value) => value.toLowerCase());

// The password is checked by passwordProblem() in the service, which also knows the email address.
const newPassword = z.string({ error: 'Enter a password' }).max(PASSWORD_MAX * 2, 'Password is too long');

const fullName = requiredText(
  { missing: 'Enter their full name', tooLong: 'Full name must be 120 characters or fewer' },
  120,
);

export const signInForm = z.object({
  email,
  password: z
    .string({ error: 'Enter your password' })
    .min(1, 'Enter your password')
    .max(1024, 'Password is too long'),
});

export const codeForm = z.object({
  code: z.string({ error: 'Enter the code' }).trim().min(1, 'Enter the code').max(40, 'Enter the code'),
});

export const setupForm = z.object({
  organisationName: requiredText(
    {
      missing: 'Enter the name of your organisation',
      tooLong: 'Organisation name must be 120 characters or fewer',
    },
    120,
  ),
  organisationKind: organisationKindField,
  odsCode: odsCodeField,
  fullName: requiredText(
    { missing: 'Enter your full name', tooLong: 'Full name must be 120 characters or fewer' },
    120,
  ),
  email,
  password: newPassword,
});

export const newPasswordForm = z.object({ password: newPassword });

export const forgottenPasswordForm = z.object({ email });

const roles = checkboxList(z.string().refine(isStaffRole, 'Select a role from the list'))
  .refine((list) => list.length > 0, 'Select at least one role')
  .transform((list) => [...new Set(list)] as StaffRole[]);

export const inviteForm = z.object({ fullName, email, roles });

export const rolesForm = z.object({ roles, version: versionField });

export const versionForm = z.object({ version: versionField });

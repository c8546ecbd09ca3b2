/** NATS subjects, `<service>.<aggregate>.<verb>` (DESIGN.md section 8). */
export const Subject = {
  OrganizationCreate: 'authority.organization.create',
  ParticipantRegister: 'authority.participant.register',
  ParticipantApprove: 'authority.participant.approve',
  ParticipantRevoke: 'authority.participant.revoke',
  ParticipantRotateKeys: 'authority.participant.rotate-keys',
  ParticipantGet: 'authority.participant.get',
  ParticipantSearch: 'authority.participant.search',
  DirectoryGet: 'authority.directory.get',
} as const;
export type Subject = (typeof Subject)[keyof typeof Subject];

/** Each service answers `<service>.health` with its dependencies' state. */
export function healthSubject(service: string): string {
  return `${service}.health`;
}

/** NATS queue group of a service: its replicas share the load. */
export function queueGroup(service: string): string {
  return service;
}

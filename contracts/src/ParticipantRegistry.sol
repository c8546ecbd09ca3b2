// SPDX-License-Identifier: UNLICENSED
pragma solidity 0.8.37;

import {LedgerAccess} from "./LedgerAccess.sol";

/// @title Attestations of registered participants (setup phase).
/// @notice The authority service (ATTESTER_ROLE) anchors the hash of each signed attestation. A
/// patient's participantRef is the patient's random pseudonym, i.e. the same value as patientRef
/// in the other contracts, so one topic filter finds a patient's whole trail.
contract ParticipantRegistry is LedgerAccess {
    bytes32 public constant ATTESTER_ROLE = keccak256("ATTESTER_ROLE");

    enum ParticipantStatus {
        None,
        Active,
        Revoked
    }

    /// @dev One storage slot for status, role, validUntil and updatedAt; one for the hash.
    struct Participant {
        ParticipantStatus status;
        uint8 role;
        uint64 validUntil;
        uint64 updatedAt;
        bytes32 attestationHash;
    }

    mapping(bytes32 participantRef => Participant) private _participants;

    event ParticipantAttested(
        bytes32 indexed participantRef,
        bytes32 attestationHash,
        uint8 role,
        uint64 validUntil
    );
    event ParticipantUpdated(
        bytes32 indexed participantRef,
        bytes32 attestationHash,
        uint8 role,
        uint64 validUntil
    );
    event ParticipantRevoked(bytes32 indexed participantRef, bytes32 reasonHash);

    /// @notice The reference was attested before (never reused, even after revocation).
    error ParticipantAlreadyAttested(bytes32 participantRef);
    /// @notice No attestation exists for the reference.
    error ParticipantNotFound(bytes32 participantRef);
    /// @notice The participant is revoked; a revoked reference cannot be updated or revoked again.
    error ParticipantAlreadyRevoked(bytes32 participantRef);
    /// @notice `validUntil` is not in the future.
    error InvalidValidity(uint64 validUntil);

    constructor(address admin) LedgerAccess(admin) {}

    /// @notice Anchors a new participant's attestation.
    function attestParticipant(
        bytes32 participantRef,
        bytes32 attestationHash,
        uint8 role,
        uint64 validUntil
    ) external onlyRole(ATTESTER_ROLE) {
        if (participantRef == bytes32(0)) revert ZeroValue("participantRef");
        if (_participants[participantRef].status != ParticipantStatus.None) {
            revert ParticipantAlreadyAttested(participantRef);
        }
        _store(participantRef, attestationHash, role, validUntil);
        emit ParticipantAttested(participantRef, attestationHash, role, validUntil);
    }

    /// @notice Re-attests an active participant (key rotation, role or validity change).
    function updateParticipant(
        bytes32 participantRef,
        bytes32 attestationHash,
        uint8 role,
        uint64 validUntil
    ) external onlyRole(ATTESTER_ROLE) {
        _requireActive(participantRef);
        _store(participantRef, attestationHash, role, validUntil);
        emit ParticipantUpdated(participantRef, attestationHash, role, validUntil);
    }

    /// @notice Revokes a participant; `reasonHash` may be zero.
    function revokeParticipant(
        bytes32 participantRef,
        bytes32 reasonHash
    ) external onlyRole(ATTESTER_ROLE) {
        Participant storage p = _requireActive(participantRef);
        p.status = ParticipantStatus.Revoked;
        p.updatedAt = uint64(block.timestamp);
        emit ParticipantRevoked(participantRef, reasonHash);
    }

    /// @notice Status, current attestation hash and time of the last change (zeros when unknown).
    function status(
        bytes32 participantRef
    ) external view returns (ParticipantStatus, bytes32 attestationHash, uint64 updatedAt) {
        Participant storage p = _participants[participantRef];
        return (p.status, p.attestationHash, p.updatedAt);
    }

    /// @notice The whole stored entry (zeros when unknown).
    function participant(bytes32 participantRef) external view returns (Participant memory) {
        return _participants[participantRef];
    }

    /// @notice True when the participant is attested, not revoked and not past `validUntil`.
    function isActive(bytes32 participantRef) external view returns (bool) {
        Participant storage p = _participants[participantRef];
        return p.status == ParticipantStatus.Active && p.validUntil > block.timestamp;
    }

    function _requireActive(bytes32 participantRef) private view returns (Participant storage p) {
        p = _participants[participantRef];
        if (p.status == ParticipantStatus.None) revert ParticipantNotFound(participantRef);
        if (p.status == ParticipantStatus.Revoked) revert ParticipantAlreadyRevoked(participantRef);
    }

    /// @dev Writes the whole entry as Active in one slot write plus the hash slot.
    function _store(
        bytes32 participantRef,
        bytes32 attestationHash,
        uint8 role,
        uint64 validUntil
    ) private {
        if (attestationHash == bytes32(0)) revert ZeroValue("attestationHash");
        if (role == 0) revert ZeroValue("role");
        if (validUntil <= block.timestamp) revert InvalidValidity(validUntil);
        _participants[participantRef] = Participant({
            status: ParticipantStatus.Active,
            role: role,
            validUntil: validUntil,
            updatedAt: uint64(block.timestamp),
            attestationHash: attestationHash
        });
    }
}

// SPDX-License-Identifier: UNLICENSED
pragma solidity 0.8.37;

import {LedgerAccess} from "./LedgerAccess.sol";

/// @title Consents (grants), their revocations and patients' emergency policies (sharing phase).
/// @notice The sharing service (CONSENT_ROLE) anchors the hash of each patient-signed consent,
/// revocation and emergency policy. Storage keeps only what the rules need (who owns a consent and
/// whether it is revoked; the current policy per patient); the hashes of consents live in events.
contract ConsentLedger is LedgerAccess {
    bytes32 public constant CONSENT_ROLE = keccak256("CONSENT_ROLE");

    enum ConsentStatus {
        None,
        Granted,
        Revoked
    }

    struct Consent {
        bytes32 patientRef;
        ConsentStatus status;
        uint64 grantedAt;
        uint64 revokedAt;
    }

    struct Policy {
        bytes32 policyHash;
        uint32 policyVersion;
        uint64 updatedAt;
    }

    mapping(bytes32 consentId => Consent) private _consents;
    mapping(bytes32 patientRef => Policy) private _policies;

    event ConsentGranted(
        bytes32 indexed patientRef,
        bytes32 indexed consentId,
        bytes32 consentHash,
        bytes32 granteeRef
    );
    event ConsentRevoked(
        bytes32 indexed patientRef,
        bytes32 indexed consentId,
        bytes32 revocationHash
    );
    event PolicySet(bytes32 indexed patientRef, bytes32 policyHash, uint32 policyVersion);

    /// @notice The consentId was granted before (ids are never reused, even after revocation).
    error ConsentAlreadyGranted(bytes32 consentId);
    /// @notice No consent was granted under this id.
    error ConsentNotGranted(bytes32 consentId);
    /// @notice The consent is already revoked.
    error ConsentAlreadyRevoked(bytes32 consentId);
    /// @notice `policyVersion` is not greater than the patient's current version.
    error PolicyVersionNotIncreasing(
        bytes32 patientRef,
        uint32 currentVersion,
        uint32 policyVersion
    );

    constructor(address admin) LedgerAccess(admin) {}

    /// @notice Anchors a patient-signed consent to `granteeRef`.
    function grantConsent(
        bytes32 patientRef,
        bytes32 consentId,
        bytes32 consentHash,
        bytes32 granteeRef
    ) external onlyRole(CONSENT_ROLE) {
        if (patientRef == bytes32(0)) revert ZeroValue("patientRef");
        if (consentId == bytes32(0)) revert ZeroValue("consentId");
        if (consentHash == bytes32(0)) revert ZeroValue("consentHash");
        if (granteeRef == bytes32(0)) revert ZeroValue("granteeRef");
        if (_consents[consentId].status != ConsentStatus.None) {
            revert ConsentAlreadyGranted(consentId);
        }
        _consents[consentId] = Consent({
            patientRef: patientRef,
            status: ConsentStatus.Granted,
            grantedAt: uint64(block.timestamp),
            revokedAt: 0
        });
        emit ConsentGranted(patientRef, consentId, consentHash, granteeRef);
    }

    /// @notice Anchors the revocation of a granted consent; the patient is the consent's own.
    function revokeConsent(
        bytes32 consentId,
        bytes32 revocationHash
    ) external onlyRole(CONSENT_ROLE) {
        if (revocationHash == bytes32(0)) revert ZeroValue("revocationHash");
        Consent storage c = _consents[consentId];
        if (c.status == ConsentStatus.None) revert ConsentNotGranted(consentId);
        if (c.status == ConsentStatus.Revoked) revert ConsentAlreadyRevoked(consentId);
        c.status = ConsentStatus.Revoked;
        c.revokedAt = uint64(block.timestamp);
        emit ConsentRevoked(c.patientRef, consentId, revocationHash);
    }

    /// @notice Anchors a new version of the patient's signed emergency policy.
    function setPolicy(
        bytes32 patientRef,
        bytes32 policyHash,
        uint32 policyVersion
    ) external onlyRole(CONSENT_ROLE) {
        if (patientRef == bytes32(0)) revert ZeroValue("patientRef");
        if (policyHash == bytes32(0)) revert ZeroValue("policyHash");
        uint32 current = _policies[patientRef].policyVersion;
        if (policyVersion <= current) {
            revert PolicyVersionNotIncreasing(patientRef, current, policyVersion);
        }
        _policies[patientRef] = Policy({
            policyHash: policyHash,
            policyVersion: policyVersion,
            updatedAt: uint64(block.timestamp)
        });
        emit PolicySet(patientRef, policyHash, policyVersion);
    }

    /// @notice A consent's state (all zeros when unknown).
    function consent(bytes32 consentId) external view returns (Consent memory) {
        return _consents[consentId];
    }

    /// @notice The patient's current emergency policy (all zeros when none was set).
    function policy(bytes32 patientRef) external view returns (Policy memory) {
        return _policies[patientRef];
    }
}

// SPDX-License-Identifier: UNLICENSED
pragma solidity 0.8.37;

import {LedgerAccess} from "./LedgerAccess.sol";

/// @title Integrity anchors of encrypted record versions (storage phase).
/// @notice The storage service (ANCHOR_ROLE) anchors the hash of each record version's
/// ciphertext. A recordId belongs to one patient for all its versions: the first anchored version
/// binds it, and anchoring a later version for another patient reverts.
contract RecordRegistry is LedgerAccess {
    bytes32 public constant ANCHOR_ROLE = keccak256("ANCHOR_ROLE");

    struct Anchor {
        bytes32 ciphertextHash;
        bytes32 authorRef;
        uint64 blockNumber;
    }

    mapping(bytes32 recordId => bytes32 patientRef) private _recordPatient;
    mapping(bytes32 recordId => mapping(uint32 version => Anchor)) private _anchors;

    event RecordAnchored(
        bytes32 indexed patientRef,
        bytes32 indexed recordId,
        uint32 version,
        bytes32 ciphertextHash,
        bytes32 authorRef
    );

    /// @notice This (recordId, version) is already anchored.
    error RecordAlreadyAnchored(bytes32 recordId, uint32 version);
    /// @notice The recordId is bound to `boundPatientRef`, not to the patient given.
    error RecordPatientMismatch(bytes32 recordId, bytes32 boundPatientRef);

    constructor(address admin) LedgerAccess(admin) {}

    /// @notice Anchors one record version.
    function anchorRecord(
        bytes32 patientRef,
        bytes32 recordId,
        uint32 version,
        bytes32 ciphertextHash,
        bytes32 authorRef
    ) external onlyRole(ANCHOR_ROLE) {
        if (patientRef == bytes32(0)) revert ZeroValue("patientRef");
        if (recordId == bytes32(0)) revert ZeroValue("recordId");
        if (version == 0) revert ZeroValue("version");
        if (ciphertextHash == bytes32(0)) revert ZeroValue("ciphertextHash");
        if (authorRef == bytes32(0)) revert ZeroValue("authorRef");
        if (_anchors[recordId][version].blockNumber != 0) {
            revert RecordAlreadyAnchored(recordId, version);
        }
        bytes32 bound = _recordPatient[recordId];
        if (bound == bytes32(0)) {
            _recordPatient[recordId] = patientRef;
        } else if (bound != patientRef) {
            revert RecordPatientMismatch(recordId, bound);
        }
        _anchors[recordId][version] = Anchor({
            ciphertextHash: ciphertextHash,
            authorRef: authorRef,
            blockNumber: uint64(block.number)
        });
        emit RecordAnchored(patientRef, recordId, version, ciphertextHash, authorRef);
    }

    /// @notice One anchored version; all zeros (blockNumber 0) when it was never anchored.
    function anchor(
        bytes32 recordId,
        uint32 version
    )
        external
        view
        returns (bytes32 ciphertextHash, bytes32 patientRef, bytes32 authorRef, uint64 blockNumber)
    {
        Anchor storage a = _anchors[recordId][version];
        if (a.blockNumber == 0) return (bytes32(0), bytes32(0), bytes32(0), 0);
        return (a.ciphertextHash, _recordPatient[recordId], a.authorRef, a.blockNumber);
    }

    /// @notice The patient a recordId is bound to (zero when no version is anchored).
    function patientOf(bytes32 recordId) external view returns (bytes32) {
        return _recordPatient[recordId];
    }
}

// SPDX-License-Identifier: UNLICENSED
pragma solidity 0.8.37;

import {LedgerAccess} from "./LedgerAccess.sol";

/// @title Integrity anchors of encrypted record versions (storage phase).
/// @notice The storage service (ANCHOR_ROLE) anchors, for each record version, the hash of its
/// ciphertext and the hash of its signed metadata (metadataHash: SHA-256 of the RFC 8785 canonical
/// JSON of { metadata, signature, authorKeyVersion } as the author submitted it), so a signing key
/// swapped in the storage database cannot make re-signed metadata look authentic. A recordId
/// belongs to one patient for all its versions: the first anchored version binds it, and anchoring
/// a later version for another patient reverts. anchorRecords anchors many versions in one
/// transaction (an outbox packs its rows into it).
contract RecordRegistry is LedgerAccess {
    bytes32 public constant ANCHOR_ROLE = keccak256("ANCHOR_ROLE");
    /// @notice The most record versions one anchorRecords call takes: about 15.1 M gas when all
    /// are new, within half a 30 M block and within EIP-7825's 2^24 gas cap on one transaction.
    uint256 public constant MAX_BATCH = 128;

    struct Anchor {
        bytes32 ciphertextHash;
        bytes32 authorRef;
        bytes32 metadataHash;
        uint64 blockNumber;
    }

    mapping(bytes32 recordId => bytes32 patientRef) private _recordPatient;
    mapping(bytes32 recordId => mapping(uint32 version => Anchor)) private _anchors;

    event RecordAnchored(
        bytes32 indexed patientRef,
        bytes32 indexed recordId,
        uint32 version,
        bytes32 ciphertextHash,
        bytes32 authorRef,
        bytes32 metadataHash
    );

    /// @notice This (recordId, version) is already anchored.
    error RecordAlreadyAnchored(bytes32 recordId, uint32 version);
    /// @notice The recordId is bound to `boundPatientRef`, not to the patient given.
    error RecordPatientMismatch(bytes32 recordId, bytes32 boundPatientRef);
    /// @notice The arrays given to anchorRecords differ in length.
    error BatchLengthMismatch();
    /// @notice anchorRecords was given `size` elements; it takes at most `max`.
    error BatchTooLarge(uint256 size, uint256 max);

    constructor(address admin) LedgerAccess(admin) {}

    /// @notice Anchors one record version.
    function anchorRecord(
        bytes32 patientRef,
        bytes32 recordId,
        uint32 version,
        bytes32 ciphertextHash,
        bytes32 authorRef,
        bytes32 metadataHash
    ) external onlyRole(ANCHOR_ROLE) {
        _anchor(patientRef, recordId, version, ciphertextHash, authorRef, metadataHash, false);
    }

    /// @notice Anchors up to MAX_BATCH record versions in one transaction, element i being
    /// (patientRefs[i], recordIds[i], versions[i], ciphertextHashes[i], authorRefs[i],
    /// metadataHashes[i]), with the checks of anchorRecord and one RecordAnchored event each, in
    /// order. An element already anchored with the same ciphertextHash, authorRef, patient and
    /// metadataHash is skipped without an event, so a batch sent again after a lost receipt
    /// succeeds; any other conflict reverts the whole batch with the error anchorRecord gives.
    function anchorRecords(
        bytes32[] calldata patientRefs,
        bytes32[] calldata recordIds,
        uint32[] calldata versions,
        bytes32[] calldata ciphertextHashes,
        bytes32[] calldata authorRefs,
        bytes32[] calldata metadataHashes
    ) external onlyRole(ANCHOR_ROLE) {
        uint256 size = patientRefs.length;
        if (
            recordIds.length != size ||
            versions.length != size ||
            ciphertextHashes.length != size ||
            authorRefs.length != size ||
            metadataHashes.length != size
        ) revert BatchLengthMismatch();
        if (size == 0) revert ZeroValue("patientRefs");
        if (size > MAX_BATCH) revert BatchTooLarge(size, MAX_BATCH);
        for (uint256 i = 0; i < size; ++i) {
            _anchor(
                patientRefs[i],
                recordIds[i],
                versions[i],
                ciphertextHashes[i],
                authorRefs[i],
                metadataHashes[i],
                true
            );
        }
    }

    /// @notice One anchored version; all zeros (blockNumber 0) when it was never anchored.
    function anchor(
        bytes32 recordId,
        uint32 version
    )
        external
        view
        returns (
            bytes32 ciphertextHash,
            bytes32 patientRef,
            bytes32 authorRef,
            bytes32 metadataHash,
            uint64 blockNumber
        )
    {
        Anchor storage a = _anchors[recordId][version];
        if (a.blockNumber == 0) return (bytes32(0), bytes32(0), bytes32(0), bytes32(0), 0);
        return (
            a.ciphertextHash,
            _recordPatient[recordId],
            a.authorRef,
            a.metadataHash,
            a.blockNumber
        );
    }

    /// @notice The patient a recordId is bound to (zero when no version is anchored).
    function patientOf(bytes32 recordId) external view returns (bytes32) {
        return _recordPatient[recordId];
    }

    /// @dev The one path of anchorRecord and anchorRecords. `skipIdentical`: an element already
    /// anchored with exactly these values returns quietly instead of reverting.
    function _anchor(
        bytes32 patientRef,
        bytes32 recordId,
        uint32 version,
        bytes32 ciphertextHash,
        bytes32 authorRef,
        bytes32 metadataHash,
        bool skipIdentical
    ) private {
        if (patientRef == bytes32(0)) revert ZeroValue("patientRef");
        if (recordId == bytes32(0)) revert ZeroValue("recordId");
        if (version == 0) revert ZeroValue("version");
        if (ciphertextHash == bytes32(0)) revert ZeroValue("ciphertextHash");
        if (authorRef == bytes32(0)) revert ZeroValue("authorRef");
        if (metadataHash == bytes32(0)) revert ZeroValue("metadataHash");
        bytes32 bound = _recordPatient[recordId];
        Anchor storage existing = _anchors[recordId][version];
        if (existing.blockNumber != 0) {
            if (
                skipIdentical &&
                existing.ciphertextHash == ciphertextHash &&
                existing.authorRef == authorRef &&
                existing.metadataHash == metadataHash &&
                bound == patientRef
            ) return;
            revert RecordAlreadyAnchored(recordId, version);
        }
        if (bound == bytes32(0)) {
            _recordPatient[recordId] = patientRef;
        } else if (bound != patientRef) {
            revert RecordPatientMismatch(recordId, bound);
        }
        _anchors[recordId][version] = Anchor({
            ciphertextHash: ciphertextHash,
            authorRef: authorRef,
            metadataHash: metadataHash,
            blockNumber: uint64(block.number)
        });
        emit RecordAnchored(patientRef, recordId, version, ciphertextHash, authorRef, metadataHash);
    }
}

// SPDX-License-Identifier: UNLICENSED
pragma solidity 0.8.37;

import {LedgerAccess} from "./LedgerAccess.sol";

/// @title Break-glass sessions, share releases and the patient's review (emergency access).
/// @notice The call-center service (SESSION_ROLE) opens, reassigns and closes sessions; each
/// emergency server (RELEASE_ROLE) logs the shares it released; the patient-facing sharing service
/// (REVIEW_ROLE) logs the patient's acknowledgement or dispute. Events after SessionOpened take the
/// patientRef from the stored session, so a caller cannot log a step under another patient. As in
/// the other ledger contracts, patientRef is the first indexed parameter (topic 1) of every event,
/// so one log filter (addresses of the four contracts, topic 1 = patientRef) is a patient's audit
/// trail.
contract EmergencyAccessLog is LedgerAccess {
    bytes32 public constant SESSION_ROLE = keccak256("SESSION_ROLE");
    bytes32 public constant RELEASE_ROLE = keccak256("RELEASE_ROLE");
    bytes32 public constant REVIEW_ROLE = keccak256("REVIEW_ROLE");

    /// @dev Expired is never stored: the view reports it for an Open session past expiresAt.
    enum SessionStatus {
        None,
        Open,
        Closed,
        Expired
    }

    enum CloseReason {
        None,
        Completed,
        Cancelled,
        Expired
    }

    enum ReviewOutcome {
        None,
        Acknowledged,
        Disputed
    }

    /// @dev Three slots of references, one for status, outcome and times.
    struct Session {
        bytes32 patientRef;
        bytes32 attendantRef;
        bytes32 collaboratorRef;
        SessionStatus status;
        ReviewOutcome review;
        uint64 openedAt;
        uint64 expiresAt;
        uint64 closedAt;
    }

    mapping(bytes32 sessionId => Session) private _sessions;
    /// @dev keccak256(sessionId, serverRef, requestId) of every logged release.
    mapping(bytes32 releaseKey => bool) private _released;

    event SessionOpened(
        bytes32 indexed patientRef,
        bytes32 indexed sessionId,
        bytes32 attendantRef,
        bytes32 collaboratorRef,
        bytes32 reasonCode,
        uint64 expiresAt
    );
    event SharesReleased(
        bytes32 indexed patientRef,
        bytes32 indexed sessionId,
        bytes32 indexed serverRef,
        bytes32 requestId,
        bytes32[] recordIds
    );
    event SessionReassigned(
        bytes32 indexed patientRef,
        bytes32 indexed sessionId,
        bytes32 previousCollaboratorRef,
        bytes32 collaboratorRef
    );
    event SessionClosed(bytes32 indexed patientRef, bytes32 indexed sessionId, uint8 closeReason);
    event SessionReviewed(
        bytes32 indexed patientRef,
        bytes32 indexed sessionId,
        uint8 outcome,
        bytes32 reviewHash
    );

    /// @notice A session with this id was opened before (ids are never reused).
    error SessionAlreadyExists(bytes32 sessionId);
    /// @notice No session with this id exists.
    error SessionNotFound(bytes32 sessionId);
    /// @notice The session is closed.
    error SessionAlreadyClosed(bytes32 sessionId);
    /// @notice The session is past its expiry (`expiresAt`, unix seconds).
    error SessionExpired(bytes32 sessionId, uint64 expiresAt);
    /// @notice Closing with reason Expired before the session expired.
    error SessionNotExpired(bytes32 sessionId, uint64 expiresAt);
    /// @notice A review needs an ended (closed or expired) session.
    error SessionStillOpen(bytes32 sessionId);
    /// @notice The patient already reviewed this session.
    error SessionAlreadyReviewed(bytes32 sessionId);
    /// @notice This server already logged a release for this session and request.
    error SharesAlreadyReleased(bytes32 sessionId, bytes32 serverRef, bytes32 requestId);
    /// @notice Reassigning a session to the collaborator it already has.
    error SameCollaborator(bytes32 sessionId);
    /// @notice `expiresAt` is not in the future.
    error InvalidExpiry(uint64 expiresAt);

    constructor(address admin) LedgerAccess(admin) {}

    /// @notice Opens a break-glass session; the call-center waits for this receipt (fail closed).
    function openSession(
        bytes32 sessionId,
        bytes32 patientRef,
        bytes32 attendantRef,
        bytes32 collaboratorRef,
        bytes32 reasonCode,
        uint64 expiresAt
    ) external onlyRole(SESSION_ROLE) {
        if (sessionId == bytes32(0)) revert ZeroValue("sessionId");
        if (patientRef == bytes32(0)) revert ZeroValue("patientRef");
        if (attendantRef == bytes32(0)) revert ZeroValue("attendantRef");
        if (collaboratorRef == bytes32(0)) revert ZeroValue("collaboratorRef");
        if (reasonCode == bytes32(0)) revert ZeroValue("reasonCode");
        if (expiresAt <= block.timestamp) revert InvalidExpiry(expiresAt);
        if (_sessions[sessionId].status != SessionStatus.None) {
            revert SessionAlreadyExists(sessionId);
        }
        _sessions[sessionId] = Session({
            patientRef: patientRef,
            attendantRef: attendantRef,
            collaboratorRef: collaboratorRef,
            status: SessionStatus.Open,
            review: ReviewOutcome.None,
            openedAt: uint64(block.timestamp),
            expiresAt: expiresAt,
            closedAt: 0
        });
        emit SessionOpened(
            patientRef,
            sessionId,
            attendantRef,
            collaboratorRef,
            reasonCode,
            expiresAt
        );
    }

    /// @notice Logs that server `serverRef` released its shares of `recordIds` for one key request
    /// (`requestId`) in an open, unexpired session.
    function releaseShares(
        bytes32 sessionId,
        bytes32 serverRef,
        bytes32 requestId,
        bytes32[] calldata recordIds
    ) external onlyRole(RELEASE_ROLE) {
        if (serverRef == bytes32(0)) revert ZeroValue("serverRef");
        if (requestId == bytes32(0)) revert ZeroValue("requestId");
        if (recordIds.length == 0) revert ZeroValue("recordIds");
        Session storage s = _requireOpen(sessionId);
        bytes32 key = keccak256(abi.encode(sessionId, serverRef, requestId));
        if (_released[key]) revert SharesAlreadyReleased(sessionId, serverRef, requestId);
        _released[key] = true;
        emit SharesReleased(s.patientRef, sessionId, serverRef, requestId, recordIds);
    }

    /// @notice Hands an open, unexpired session to another collaborator; the attendant, patient
    /// and expiry stay. An expired session cannot be reassigned, only closed with reason Expired.
    function reassignSession(
        bytes32 sessionId,
        bytes32 collaboratorRef
    ) external onlyRole(SESSION_ROLE) {
        if (collaboratorRef == bytes32(0)) revert ZeroValue("collaboratorRef");
        Session storage s = _requireOpen(sessionId);
        bytes32 previousCollaboratorRef = s.collaboratorRef;
        if (collaboratorRef == previousCollaboratorRef) revert SameCollaborator(sessionId);
        s.collaboratorRef = collaboratorRef;
        emit SessionReassigned(s.patientRef, sessionId, previousCollaboratorRef, collaboratorRef);
    }

    /// @notice Closes a session. An expired session can only be closed with reason Expired, and
    /// reason Expired needs an expired session, so the expiry sweep records every session's end.
    function closeSession(bytes32 sessionId, CloseReason reason) external onlyRole(SESSION_ROLE) {
        if (reason == CloseReason.None) revert ZeroValue("reason");
        Session storage s = _sessions[sessionId];
        if (s.status == SessionStatus.None) revert SessionNotFound(sessionId);
        if (s.status == SessionStatus.Closed) revert SessionAlreadyClosed(sessionId);
        bool expired = block.timestamp >= s.expiresAt;
        if (reason == CloseReason.Expired) {
            if (!expired) revert SessionNotExpired(sessionId, s.expiresAt);
        } else if (expired) {
            revert SessionExpired(sessionId, s.expiresAt);
        }
        s.status = SessionStatus.Closed;
        s.closedAt = uint64(block.timestamp);
        emit SessionClosed(s.patientRef, sessionId, uint8(reason));
    }

    /// @notice Logs the patient's acknowledgement or dispute of an ended session, once.
    function reviewSession(
        bytes32 sessionId,
        ReviewOutcome outcome,
        bytes32 reviewHash
    ) external onlyRole(REVIEW_ROLE) {
        if (outcome == ReviewOutcome.None) revert ZeroValue("outcome");
        if (reviewHash == bytes32(0)) revert ZeroValue("reviewHash");
        Session storage s = _sessions[sessionId];
        if (s.status == SessionStatus.None) revert SessionNotFound(sessionId);
        if (s.status == SessionStatus.Open && block.timestamp < s.expiresAt) {
            revert SessionStillOpen(sessionId);
        }
        if (s.review != ReviewOutcome.None) revert SessionAlreadyReviewed(sessionId);
        s.review = outcome;
        emit SessionReviewed(s.patientRef, sessionId, uint8(outcome), reviewHash);
    }

    /// @notice A session (all zeros when unknown); status is Expired for an open session at or
    /// past expiresAt.
    function session(
        bytes32 sessionId
    )
        external
        view
        returns (
            SessionStatus status,
            bytes32 patientRef,
            bytes32 attendantRef,
            bytes32 collaboratorRef,
            uint64 openedAt,
            uint64 expiresAt,
            uint64 closedAt
        )
    {
        Session storage s = _sessions[sessionId];
        status = s.status;
        if (status == SessionStatus.Open && block.timestamp >= s.expiresAt) {
            status = SessionStatus.Expired;
        }
        return (
            status,
            s.patientRef,
            s.attendantRef,
            s.collaboratorRef,
            s.openedAt,
            s.expiresAt,
            s.closedAt
        );
    }

    /// @notice The patient's review of a session (None when not reviewed).
    function reviewOf(bytes32 sessionId) external view returns (ReviewOutcome) {
        return _sessions[sessionId].review;
    }

    /// @notice Whether `serverRef` logged a release for this session and request.
    function isReleased(
        bytes32 sessionId,
        bytes32 serverRef,
        bytes32 requestId
    ) external view returns (bool) {
        return _released[keccak256(abi.encode(sessionId, serverRef, requestId))];
    }

    function _requireOpen(bytes32 sessionId) private view returns (Session storage s) {
        s = _sessions[sessionId];
        if (s.status == SessionStatus.None) revert SessionNotFound(sessionId);
        if (s.status == SessionStatus.Closed) revert SessionAlreadyClosed(sessionId);
        if (block.timestamp >= s.expiresAt) revert SessionExpired(sessionId, s.expiresAt);
    }
}

// SPDX-License-Identifier: UNLICENSED
pragma solidity 0.8.37;

import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";

/// @title Common base of the Sec-Health ledger contracts.
/// @notice The authority (DEFAULT_ADMIN_ROLE, given to `admin` at deployment) grants and revokes
/// the writer roles; writers are service accounts. Only pseudonymous references and hashes are
/// ever written: never PHI, never names.
abstract contract LedgerAccess is AccessControl {
    /// @notice A required argument was zero (a reference, a hash, a version, an enum left at None,
    /// an empty list or the zero address); `field` names the argument.
    error ZeroValue(string field);

    constructor(address admin) {
        if (admin == address(0)) revert ZeroValue("admin");
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
    }
}

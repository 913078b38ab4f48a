"""Contains all the data models used in inputs/outputs"""

from .account_as_of_output import AccountAsOfOutput
from .account_output import AccountOutput
from .account_output_account_type_enum import AccountOutputAccountTypeEnum
from .account_output_status_enum import AccountOutputStatusEnum
from .amount_input_request import AmountInputRequest
from .api_client_output import ApiClientOutput
from .change_password_input_request import ChangePasswordInputRequest
from .command_output import CommandOutput
from .error_output import ErrorOutput
from .error_output_errors import ErrorOutputErrors
from .event_history_output import EventHistoryOutput
from .event_metadata_output import EventMetadataOutput
from .event_output import EventOutput
from .event_output_data import EventOutputData
from .expected_version_input_request import ExpectedVersionInputRequest
from .kind_enum import KindEnum
from .open_account_input_account_type_enum import OpenAccountInputAccountTypeEnum
from .open_account_input_request import OpenAccountInputRequest
from .paginated_account_output_list import PaginatedAccountOutputList
from .paginated_statement_entry_output_list import PaginatedStatementEntryOutputList
from .paginated_trail_item_output_list import PaginatedTrailItemOutputList
from .paginated_transfer_output_list import PaginatedTransferOutputList
from .paginated_user_output_list import PaginatedUserOutputList
from .patched_change_user_input_request import PatchedChangeUserInputRequest
from .register_api_client_input_request import RegisterApiClientInputRequest
from .register_user_input_request import RegisterUserInputRequest
from .role_enum import RoleEnum
from .statement_entry_output import StatementEntryOutput
from .trail_item_output import TrailItemOutput
from .transfer_history_output import TransferHistoryOutput
from .transfer_input_request import TransferInputRequest
from .transfer_output import TransferOutput
from .transfer_output_status_enum import TransferOutputStatusEnum
from .type_enum import TypeEnum
from .user_output import UserOutput
from .user_output_status_enum import UserOutputStatusEnum
from .v1_accounts_list_account_type import V1AccountsListAccountType
from .v1_accounts_list_status import V1AccountsListStatus
from .v1_transfers_list_status import V1TransfersListStatus
from .v1_users_list_kind import V1UsersListKind
from .v1_users_list_role import V1UsersListRole
from .v1_users_list_status import V1UsersListStatus

__all__ = (
    "AccountAsOfOutput",
    "AccountOutput",
    "AccountOutputAccountTypeEnum",
    "AccountOutputStatusEnum",
    "AmountInputRequest",
    "ApiClientOutput",
    "ChangePasswordInputRequest",
    "CommandOutput",
    "ErrorOutput",
    "ErrorOutputErrors",
    "EventHistoryOutput",
    "EventMetadataOutput",
    "EventOutput",
    "EventOutputData",
    "ExpectedVersionInputRequest",
    "KindEnum",
    "OpenAccountInputAccountTypeEnum",
    "OpenAccountInputRequest",
    "PaginatedAccountOutputList",
    "PaginatedStatementEntryOutputList",
    "PaginatedTrailItemOutputList",
    "PaginatedTransferOutputList",
    "PaginatedUserOutputList",
    "PatchedChangeUserInputRequest",
    "RegisterApiClientInputRequest",
    "RegisterUserInputRequest",
    "RoleEnum",
    "StatementEntryOutput",
    "TrailItemOutput",
    "TransferHistoryOutput",
    "TransferInputRequest",
    "TransferOutput",
    "TransferOutputStatusEnum",
    "TypeEnum",
    "UserOutput",
    "UserOutputStatusEnum",
    "V1AccountsListAccountType",
    "V1AccountsListStatus",
    "V1TransfersListStatus",
    "V1UsersListKind",
    "V1UsersListRole",
    "V1UsersListStatus",
)

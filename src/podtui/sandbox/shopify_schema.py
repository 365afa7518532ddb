"""The part of Shopify's Admin GraphQL schema the sandbox serves, and Shopify's query cost.

The SDL is version 2026-04's (SCHEMA_VERSION): it copies the real Admin API's names and
nullability for the fields podtui reads and writes (orders, fulfillment orders, fulfillments, the
order mutations), so a query that Shopify would reject for a wrong field or argument is
rejected here too, by graphql-core's validation.
Status enums are Strings here: a test can then serve a value the adapter has never seen, as a
newer API version would.

Cost follows Shopify's documented rules ("calculated query cost"): an object costs 1, a scalar 0,
a connection 2 plus `first` (or `last`) times the cost of one node, a mutation 10. The actual
cost counts the objects really returned the same way.
"""

from __future__ import annotations

from typing import Any

from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLSchema,
    InlineFragmentNode,
    OperationDefinitionNode,
    SelectionSetNode,
    build_schema,
    value_from_ast,
)
from graphql.language import DocumentNode

SDL = """
scalar DateTime
scalar Decimal
scalar URL
scalar UnsignedInt64

interface Node { id: ID! }

"Shopify's idempotency: a mutation repeated with the same key returns its first result."
directive @idempotent(key: String!) on FIELD

type Query {
  shop: Shop!
  orders(first: Int, after: String, last: Int, before: String, query: String,
         sortKey: OrderSortKeys, reverse: Boolean): OrderConnection!
  order(id: ID!): Order
  node(id: ID!): Node
  nodes(ids: [ID!]!): [Node]!
  fulfillmentOrder(id: ID!): FulfillmentOrder
  customers(first: Int, after: String, query: String): CustomerConnection!
  currentAppInstallation: AppInstallation!
}

type AppInstallation { id: ID! app: App! }
type App { id: ID! title: String! }
interface Event {
  id: ID!
  action: String!
  appTitle: String
  attributeToApp: Boolean!
  attributeToUser: Boolean!
  createdAt: DateTime!
  criticalAlert: Boolean!
  message: FormattedString!
}
type BasicEvent implements Event & Node {
  id: ID!
  action: String!
  appTitle: String
  attributeToApp: Boolean!
  attributeToUser: Boolean!
  createdAt: DateTime!
  criticalAlert: Boolean!
  message: FormattedString!
}
scalar FormattedString
enum EventSortKeys { CREATED_AT ID RELEVANCE }
type EventConnection { edges: [EventEdge!]! nodes: [Event!]! pageInfo: PageInfo! }
type EventEdge { cursor: String! node: Event! }

type CustomerConnection { edges: [CustomerEdge!]! nodes: [Customer!]! pageInfo: PageInfo! }
type CustomerEdge { cursor: String! node: Customer! }
type CustomerEmailAddress { emailAddress: String }

enum OrderCancelReason { CUSTOMER DECLINED FRAUD INVENTORY OTHER STAFF }
enum OrderSortKeys { CREATED_AT UPDATED_AT ID ORDER_NUMBER PROCESSED_AT TOTAL_PRICE }

type Shop implements Node {
  id: ID!
  name: String!
  email: String
  myshopifyDomain: String!
  currencyCode: String!
  ianaTimezone: String!
  plan: ShopPlan!
}
type ShopPlan { displayName: String! partnerDevelopment: Boolean! shopifyPlus: Boolean! }

type PageInfo {
  hasNextPage: Boolean! hasPreviousPage: Boolean! startCursor: String endCursor: String
}

type OrderConnection { edges: [OrderEdge!]! nodes: [Order!]! pageInfo: PageInfo! }
type OrderEdge { cursor: String! node: Order! }

type Order implements Node {
  id: ID!
  legacyResourceId: UnsignedInt64!
  name: String!
  createdAt: DateTime!
  updatedAt: DateTime!
  processedAt: DateTime!
  closed: Boolean!
  closedAt: DateTime
  cancelledAt: DateTime
  cancelReason: String
  email: String
  phone: String
  note: String
  tags: [String!]!
  test: Boolean!
  customAttributes: [Attribute!]!
  currencyCode: String!
  totalPriceSet: MoneyBag!
  subtotalPriceSet: MoneyBag
  totalShippingPriceSet: MoneyBag!
  totalTaxSet: MoneyBag
  displayFinancialStatus: String
  displayFulfillmentStatus: String!
  paymentGatewayNames: [String!]!
  sourceName: String
  customer: Customer
  shippingAddress: MailingAddress
  billingAddress: MailingAddress
  shippingLine: ShippingLine
  lineItems(first: Int, after: String, last: Int, before: String): LineItemConnection!
  fulfillmentOrders(first: Int, after: String, last: Int, before: String,
                    displayable: Boolean): FulfillmentOrderConnection!
  fulfillments(first: Int): [Fulfillment!]!
  refunds(first: Int): [Refund!]!
  returns(first: Int, after: String): ReturnConnection!
  returnStatus: String!
  transactions(first: Int): [OrderTransaction!]!
  events(first: Int, after: String, sortKey: EventSortKeys, reverse: Boolean,
         query: String): EventConnection!
  totalRefundedSet: MoneyBag!
  suggestedRefund(refundLineItems: [RefundLineItemInput!], shippingAmount: Money,
                  refundShipping: Boolean, suggestFullRefund: Boolean): SuggestedRefund
}

type ReturnConnection { edges: [ReturnEdge!]! nodes: [Return!]! pageInfo: PageInfo! }
type ReturnEdge { cursor: String! node: Return! }
type Return implements Node {
  id: ID!
  name: String!
  status: String!
  returnLineItems(first: Int, after: String): ReturnLineItemTypeConnection!
}
type ReturnLineItemTypeConnection {
  edges: [ReturnLineItemTypeEdge!]! nodes: [ReturnLineItem!]! pageInfo: PageInfo!
}
type ReturnLineItemTypeEdge { cursor: String! node: ReturnLineItem! }
type ReturnLineItem implements Node {
  id: ID!
  quantity: Int!
  returnReason: String
  returnReasonNote: String!
  fulfillmentLineItem: FulfillmentLineItem!
}
type ReturnUserError { field: [String!] message: String! code: String }
type ReturnCreatePayload { return: Return userErrors: [ReturnUserError!]! }

type Refund implements Node {
  id: ID!
  legacyResourceId: UnsignedInt64!
  note: String
  createdAt: DateTime
  totalRefundedSet: MoneyBag!
}
type OrderTransaction implements Node {
  id: ID!
  kind: String!
  status: String!
  gateway: String
  amountSet: MoneyBag!
  parentTransaction: OrderTransaction
}
type SuggestedRefund {
  amountSet: MoneyBag!
  maximumRefundableSet: MoneyBag!
  subtotalSet: MoneyBag!
  totalTaxSet: MoneyBag!
  shipping: ShippingRefund!
  suggestedTransactions: [SuggestedOrderTransaction!]!
}
type ShippingRefund { amountSet: MoneyBag! maximumRefundableSet: MoneyBag! }
type SuggestedOrderTransaction {
  gateway: String
  kind: String!
  amountSet: MoneyBag!
  parentTransaction: OrderTransaction
}

type Attribute { key: String! value: String }
type MoneyBag { shopMoney: MoneyV2! presentmentMoney: MoneyV2! }
type MoneyV2 { amount: Decimal! currencyCode: String! }

type Customer implements Node {
  id: ID!
  legacyResourceId: UnsignedInt64
  defaultEmailAddress: CustomerEmailAddress
  firstName: String
  lastName: String
  displayName: String!
  email: String
  phone: String
}

type MailingAddress implements Node {
  id: ID!
  firstName: String
  lastName: String
  name: String
  company: String
  address1: String
  address2: String
  city: String
  province: String
  provinceCode: String
  zip: String
  country: String
  countryCodeV2: String
  phone: String
}

type ShippingLine { id: ID title: String! code: String source: String originalPriceSet: MoneyBag! }

type LineItemConnection { edges: [LineItemEdge!]! nodes: [LineItem!]! pageInfo: PageInfo! }
type LineItemEdge { cursor: String! node: LineItem! }
type LineItem implements Node {
  id: ID!
  name: String!
  title: String!
  variantTitle: String
  sku: String
  quantity: Int!
  currentQuantity: Int!
  refundableQuantity: Int!
  requiresShipping: Boolean!
  customAttributes: [Attribute!]!
  originalUnitPriceSet: MoneyBag!
  product: Product
  variant: ProductVariant
}
type Product implements Node {
  id: ID! legacyResourceId: UnsignedInt64! title: String! productType: String!
}
type ProductVariant implements Node {
  id: ID! legacyResourceId: UnsignedInt64! title: String! sku: String
}

type FulfillmentOrderConnection {
  edges: [FulfillmentOrderEdge!]! nodes: [FulfillmentOrder!]! pageInfo: PageInfo!
}
type FulfillmentOrderEdge { cursor: String! node: FulfillmentOrder! }
type FulfillmentOrder implements Node {
  id: ID!
  status: String!
  requestStatus: String!
  createdAt: DateTime!
  updatedAt: DateTime!
  orderId: ID!
  supportedActions: [FulfillmentOrderSupportedAction!]!
  lineItems(first: Int, after: String, last: Int, before: String):
    FulfillmentOrderLineItemConnection!
}
type FulfillmentOrderSupportedAction { action: String! }
type FulfillmentOrderLineItemConnection {
  edges: [FulfillmentOrderLineItemEdge!]! nodes: [FulfillmentOrderLineItem!]! pageInfo: PageInfo!
}
type FulfillmentOrderLineItemEdge { cursor: String! node: FulfillmentOrderLineItem! }
type FulfillmentOrderLineItem implements Node {
  id: ID!
  totalQuantity: Int!
  remainingQuantity: Int!
  lineItem: LineItem!
}

type Fulfillment implements Node {
  id: ID!
  legacyResourceId: UnsignedInt64!
  name: String!
  status: String!
  createdAt: DateTime!
  updatedAt: DateTime!
  trackingInfo(first: Int): [FulfillmentTrackingInfo!]!
  fulfillmentLineItems(first: Int, after: String): FulfillmentLineItemConnection!
}
type FulfillmentTrackingInfo { company: String number: String url: URL }
type FulfillmentLineItemConnection {
  edges: [FulfillmentLineItemEdge!]! nodes: [FulfillmentLineItem!]! pageInfo: PageInfo!
}
type FulfillmentLineItemEdge { cursor: String! node: FulfillmentLineItem! }
type FulfillmentLineItem implements Node { id: ID! quantity: Int lineItem: LineItem! }

type UserError { field: [String!] message: String! }
type OrderCancelUserError { field: [String!] message: String! code: String }
type Job implements Node { id: ID! done: Boolean! }

input FulfillmentInput {
  lineItemsByFulfillmentOrder: [FulfillmentOrderLineItemsInput!]!
  notifyCustomer: Boolean
  trackingInfo: FulfillmentTrackingInput
  originAddress: FulfillmentOriginAddressInput
}
input FulfillmentOrderLineItemsInput {
  fulfillmentOrderId: ID!
  fulfillmentOrderLineItems: [FulfillmentOrderLineItemInput!]
}
input FulfillmentOrderLineItemInput { id: ID! quantity: Int! }
input FulfillmentTrackingInput {
  company: String number: String numbers: [String!] url: URL urls: [URL!]
}
input FulfillmentOriginAddressInput {
  address1: String address2: String city: String countryCode: String!
  provinceCode: String zip: String
}
input AttributeInput { key: String! value: String! }
input OrderInput {
  id: ID! note: String tags: [String!] customAttributes: [AttributeInput!] email: String
}
input OrderCloseInput { id: ID! }
input OrderMarkAsPaidInput { id: ID! }
enum ReturnReason {
  COLOR DEFECTIVE NOT_AS_DESCRIBED OTHER SIZE_TOO_LARGE SIZE_TOO_SMALL STYLE UNKNOWN UNWANTED
  WRONG_ITEM
}
input ReturnInput {
  orderId: ID!
  returnLineItems: [ReturnLineItemInput!]!
  notifyCustomer: Boolean
  requestedAt: DateTime
}
input ReturnLineItemInput {
  fulfillmentLineItemId: ID! quantity: Int! returnReason: ReturnReason returnReasonNote: String
}
scalar Money
input RefundInput {
  orderId: ID!
  note: String
  notify: Boolean
  currency: String
  refundLineItems: [RefundLineItemInput!]
  shipping: ShippingRefundInput
  transactions: [OrderTransactionInput!]
  discrepancyReason: OrderAdjustmentInputDiscrepancyReason
}
enum OrderAdjustmentInputDiscrepancyReason { CUSTOMER DAMAGE OTHER RESTOCK }
input RefundLineItemInput {
  lineItemId: ID! quantity: Int! restockType: RefundLineItemRestockType locationId: ID
}
enum RefundLineItemRestockType { RETURN CANCEL NO_RESTOCK LEGACY_RESTOCK }
input ShippingRefundInput { amount: Money fullRefund: Boolean }
input OrderTransactionInput {
  amount: Money! gateway: String! kind: OrderTransactionKind! orderId: ID! parentId: ID
}
enum OrderTransactionKind { REFUND SALE CAPTURE AUTHORIZATION VOID CHANGE EMV_AUTHORIZATION }
input OrderCancelRefundMethodInput {
  originalPaymentMethodsRefund: Boolean storeCreditRefund: OrderCancelStoreCreditRefundInput
}
input OrderCancelStoreCreditRefundInput { expiresAt: DateTime }
input OrderOpenInput { id: ID! }

type FulfillmentCreatePayload { fulfillment: Fulfillment userErrors: [UserError!]! }
type OrderUpdatePayload { order: Order userErrors: [UserError!]! }
type OrderClosePayload { order: Order userErrors: [UserError!]! }
type OrderOpenPayload { order: Order userErrors: [UserError!]! }
type OrderMarkAsPaidPayload { order: Order userErrors: [UserError!]! }
type OrderCustomerSetUserError { field: [String!] message: String! code: String }
type OrderCustomerSetPayload { order: Order userErrors: [OrderCustomerSetUserError!]! }
type RefundCreatePayload { refund: Refund order: Order userErrors: [UserError!]! }
type OrderCancelPayload {
  job: Job orderCancelUserErrors: [OrderCancelUserError!]! userErrors: [UserError!]!
}

type Mutation {
  fulfillmentCreate(fulfillment: FulfillmentInput!, message: String): FulfillmentCreatePayload
  orderUpdate(input: OrderInput!): OrderUpdatePayload
  orderClose(input: OrderCloseInput!): OrderClosePayload
  orderOpen(input: OrderOpenInput!): OrderOpenPayload
  orderMarkAsPaid(input: OrderMarkAsPaidInput!): OrderMarkAsPaidPayload
  refundCreate(input: RefundInput!): RefundCreatePayload
  orderCustomerSet(orderId: ID!, customerId: ID!): OrderCustomerSetPayload
  returnCreate(returnInput: ReturnInput!): ReturnCreatePayload
  orderCancel(orderId: ID!, reason: OrderCancelReason!, refund: Boolean,
              refundMethod: OrderCancelRefundMethodInput, restock: Boolean!,
              notifyCustomer: Boolean, staffNote: String): OrderCancelPayload
}
"""

SCHEMA: GraphQLSchema = build_schema(SDL)
SCHEMA_VERSION = "2026-04"
# The stable versions Shopify serves (each for a year); a request naming another one is answered
# by the oldest of them, as Shopify does, and says so in X-Shopify-API-Version.
SUPPORTED_VERSIONS = ("2025-07", "2025-10", "2026-01", "2026-04")
MUTATION_COST = 10
MAX_SINGLE_QUERY_COST = 1000  # Shopify refuses a query asking for more, whatever the bucket


def _named(type_: Any) -> Any:
    while isinstance(type_, (GraphQLNonNull, GraphQLList)):
        type_ = type_.of_type
    return type_


def requested_cost(
    document: DocumentNode, operation: OperationDefinitionNode, variables: dict[str, Any]
) -> int:
    """What Shopify charges up front for `operation`: objects 1, connections 2 + first x node."""
    if operation.operation.value == "mutation":
        return MUTATION_COST
    fragments = {
        d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
    }
    root = SCHEMA.query_type
    assert root is not None
    return _selection_cost(operation.selection_set, root, fragments, variables)


def _selection_cost(
    selection_set: SelectionSetNode | None,
    parent: Any,
    fragments: dict[str, FragmentDefinitionNode],
    variables: dict[str, Any],
) -> int:
    if selection_set is None:
        return 0
    total = 0
    for selection in selection_set.selections:
        if isinstance(selection, FragmentSpreadNode):
            fragment = fragments.get(selection.name.value)
            if fragment is not None:
                target = SCHEMA.get_type(fragment.type_condition.name.value) or parent
                total += _selection_cost(fragment.selection_set, target, fragments, variables)
        elif isinstance(selection, InlineFragmentNode):
            cond = selection.type_condition
            target = SCHEMA.get_type(cond.name.value) if cond is not None else parent
            total += _selection_cost(selection.selection_set, target, fragments, variables)
        elif isinstance(selection, FieldNode):
            total += _field_cost(selection, parent, fragments, variables)
    return total


def _field_cost(
    node: FieldNode,
    parent: Any,
    fragments: dict[str, FragmentDefinitionNode],
    variables: dict[str, Any],
) -> int:
    fields = getattr(parent, "fields", None)
    if not fields or node.name.value not in fields:
        return 0
    field = fields[node.name.value]
    named = _named(field.type)
    if not isinstance(named, GraphQLObjectType) and not hasattr(named, "fields"):
        return 0  # scalars and enums are free
    size = 1
    for argument in node.arguments or ():
        if argument.name.value in ("first", "last"):
            arg_def = field.args.get(argument.name.value)
            value = value_from_ast(argument.value, arg_def.type, variables) if arg_def else None
            if isinstance(value, int):
                size = max(1, value)
        elif argument.name.value == "ids":  # nodes(ids:) charges for each id asked
            arg_def = field.args.get("ids")
            value = value_from_ast(argument.value, arg_def.type, variables) if arg_def else None
            if isinstance(value, list):
                size = max(1, len(value))
    if named.name.endswith("Connection"):
        node_type = SCHEMA.get_type(named.name[: -len("Connection")])
        per_node = 0
        for sub in node.selection_set.selections if node.selection_set else ():
            if isinstance(sub, FieldNode) and sub.name.value in ("edges", "nodes"):
                inner = sub.selection_set
                if sub.name.value == "edges" and inner is not None:
                    per_node += sum(
                        _selection_cost(s.selection_set, node_type, fragments, variables) + 1
                        for s in inner.selections
                        if isinstance(s, FieldNode) and s.name.value == "node"
                    )
                else:
                    per_node += 1 + _selection_cost(inner, node_type, fragments, variables)
        return 2 + size * per_node
    return size * (1 + _selection_cost(node.selection_set, named, fragments, variables))


def actual_cost(data: Any, *, mutation: bool) -> int:
    """What the answer really cost: one per object returned, two more per connection."""
    if mutation:
        return MUTATION_COST
    return _count(data)


def _count(value: Any) -> int:
    if isinstance(value, list):
        return sum(_count(v) for v in value)
    if not isinstance(value, dict):
        return 0
    extra = 2 if "pageInfo" in value else 1
    return extra + sum(_count(v) for v in value.values())

"""The GraphQL documents the Shopify adapter sends, sized to stay under Shopify's query cost.

An `orders` page asks for 24 orders with their first 5 line items (about 985 points of a
1,000-point single-query limit); an order with more lines gets the rest with `ORDER_LINES`.
"""

from __future__ import annotations

ORDERS_PAGE = 24
LINES_FIRST = 5
MORE_LINES = 50
NODES_BATCH = 20

LINE_FIELDS = """
fragment LineFields on LineItem {
  id name title variantTitle sku quantity currentQuantity
  customAttributes { key value }
  originalUnitPriceSet { shopMoney { amount currencyCode } }
  product { legacyResourceId productType }
  variant { legacyResourceId sku }
}
"""

ORDER_FIELDS = (
    """
fragment OrderFields on Order {
  id legacyResourceId name createdAt updatedAt closed closedAt cancelledAt cancelReason
  email phone note tags test currencyCode
  customAttributes { key value }
  totalPriceSet { shopMoney { amount currencyCode } }
  totalShippingPriceSet { shopMoney { amount currencyCode } }
  displayFinancialStatus displayFulfillmentStatus paymentGatewayNames sourceName
  customer { id firstName lastName displayName email }
  shippingAddress {
    name firstName lastName company address1 address2 city province provinceCode zip
    country countryCodeV2 phone
  }
  shippingLine { title code }
  lineItems(first: $lines) { nodes { ...LineFields } pageInfo { hasNextPage endCursor } }
}
"""
    + LINE_FIELDS
)

ORDERS = (
    """
query Orders($first: Int!, $after: String, $query: String, $lines: Int!) {
  orders(first: $first, after: $after, query: $query, sortKey: UPDATED_AT) {
    nodes { ...OrderFields }
    pageInfo { hasNextPage endCursor }
  }
}
"""
    + ORDER_FIELDS
)

ORDER = (
    """
query Order($id: ID!, $lines: Int!) { order(id: $id) { ...OrderFields } }
"""
    + ORDER_FIELDS
)

NODES = (
    """
query Nodes($ids: [ID!]!, $lines: Int!) { nodes(ids: $ids) { id ... on Order { ...OrderFields } } }
"""
    + ORDER_FIELDS
)

ORDER_LINES = (
    """
query OrderLines($id: ID!, $first: Int!, $after: String) {
  order(id: $id) {
    lineItems(first: $first, after: $after) {
      nodes { ...LineFields } pageInfo { hasNextPage endCursor }
    }
  }
}
"""
    + LINE_FIELDS
)

SHOP = "query Shop { shop { name myshopifyDomain currencyCode plan { displayName } } }"

FULFILLMENT_STATE = """
query FulfillmentState($id: ID!) {
  order(id: $id) {
    id name cancelledAt displayFulfillmentStatus
    fulfillments(first: 10) { id status trackingInfo(first: 5) { company number url } }
    fulfillmentOrders(first: 5) {
      nodes {
        id status
        lineItems(first: 25) { nodes { id remainingQuantity lineItem { id } } }
      }
    }
  }
}
"""

FULFILLMENT_CREATE = """
mutation FulfillmentCreate($fulfillment: FulfillmentInput!) {
  fulfillmentCreate(fulfillment: $fulfillment) {
    fulfillment { id status trackingInfo(first: 5) { number } }
    userErrors { field message }
  }
}
"""

ORDER_NOTE = "query OrderNote($id: ID!) { order(id: $id) { id note } }"

ORDER_UPDATE = """
mutation OrderUpdate($input: OrderInput!) {
  orderUpdate(input: $input) { order { id note } userErrors { field message } }
}
"""

ORDER_CLOSE = """
mutation OrderClose($input: OrderCloseInput!) {
  orderClose(input: $input) { order { id closed } userErrors { field message } }
}
"""

ORDER_OPEN = """
mutation OrderOpen($input: OrderOpenInput!) {
  orderOpen(input: $input) { order { id closed } userErrors { field message } }
}
"""

ORDER_CANCEL = """
mutation OrderCancel($orderId: ID!, $reason: OrderCancelReason!, $staffNote: String) {
  orderCancel(orderId: $orderId, reason: $reason, restock: false, notifyCustomer: false,
              refundMethod: { originalPaymentMethodsRefund: false }, staffNote: $staffNote) {
    job { id done }
    orderCancelUserErrors { field message code }
    userErrors { field message }
  }
}
"""

ORDER_MARK_AS_PAID = """
mutation OrderMarkAsPaid($input: OrderMarkAsPaidInput!) {
  orderMarkAsPaid(input: $input) {
    order { id displayFinancialStatus closed cancelledAt }
    userErrors { field message }
  }
}
"""

ORDER_PAYMENT = """
query OrderPayment($id: ID!) { order(id: $id) { id displayFinancialStatus closed cancelledAt } }
"""

ORDER_CANCEL_WITH = """
mutation OrderCancelWith($orderId: ID!, $reason: OrderCancelReason!, $restock: Boolean!,
                         $notifyCustomer: Boolean, $refundMethod: OrderCancelRefundMethodInput,
                         $staffNote: String) {
  orderCancel(orderId: $orderId, reason: $reason, restock: $restock,
              notifyCustomer: $notifyCustomer, refundMethod: $refundMethod,
              staffNote: $staffNote) {
    job { id done }
    orderCancelUserErrors { field message code }
    userErrors { field message }
  }
}
"""

SUGGEST_REFUND = """
query SuggestRefund($id: ID!, $lines: [RefundLineItemInput!], $shipping: Money) {
  order(id: $id) {
    id currencyCode displayFulfillmentStatus
    suggestedRefund(refundLineItems: $lines, shippingAmount: $shipping) {
      amountSet { shopMoney { amount currencyCode } }
      maximumRefundableSet { shopMoney { amount } }
      suggestedTransactions {
        gateway amountSet { shopMoney { amount } } parentTransaction { id }
      }
    }
    transactions(first: 10) { id kind status gateway }
  }
}
"""

REFUND_CREATE = """
mutation RefundCreate($input: RefundInput!, $key: String!) {
  refundCreate(input: $input) @idempotent(key: $key) {
    refund { id legacyResourceId note totalRefundedSet { shopMoney { amount } } }
    userErrors { field message }
  }
}
"""

ORDER_REFUNDS = """
query OrderRefunds($id: ID!) {
  order(id: $id) { id refunds(first: 50) { id legacyResourceId note } }
}
"""

CUSTOMERS = """
query Customers($first: Int!, $query: String) {
  customers(first: $first, query: $query) {
    nodes { id legacyResourceId displayName email defaultEmailAddress { emailAddress } }
  }
}
"""

ORDER_CUSTOMER_SET = """
mutation OrderCustomerSet($orderId: ID!, $customerId: ID!) {
  orderCustomerSet(orderId: $orderId, customerId: $customerId) {
    order { id customer { id } }
    userErrors { field message code }
  }
}
"""

ORDER_CUSTOMER = "query OrderCustomer($id: ID!) { order(id: $id) { id customer { id } } }"

# Sized under Shopify's 1,000-point single-query limit (about 530 points each).
RETURNABLE = """
query Returnable($id: ID!) {
  order(id: $id) {
    id
    fulfillments(first: 5) {
      fulfillmentLineItems(first: 25) { nodes { id quantity lineItem { id } } }
    }
    returns(first: 5) {
      nodes {
        returnLineItems(first: 25) {
          nodes { quantity returnReasonNote fulfillmentLineItem { id } }
        }
      }
    }
  }
}
"""

RETURN_CREATE = """
mutation ReturnCreate($input: ReturnInput!) {
  returnCreate(returnInput: $input) {
    return { id name status }
    userErrors { field message code }
  }
}
"""

ORDER_RETURNS = """
query OrderReturns($id: ID!) {
  order(id: $id) {
    id
    returns(first: 10) {
      nodes { id name returnLineItems(first: 25) { nodes { returnReasonNote } } }
    }
  }
}
"""

# The order's own timeline in the Shopify admin, newest first, and the app podtui speaks as (its
# events are podtui's own changes, on podtui's timeline already).
ORDER_EVENTS = """
query OrderEvents($id: ID!, $first: Int!) {
  currentAppInstallation { app { title } }
  order(id: $id) {
    id
    events(first: $first, sortKey: CREATED_AT, reverse: true) {
      nodes { id action createdAt message appTitle attributeToApp attributeToUser }
    }
  }
}
"""
EVENTS_FIRST = 50

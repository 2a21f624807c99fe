/**
 * An API Gateway throttle: the steady rate and the burst a caller may send.
 * @see https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-request-throttling.html
 */
export interface Throttle {
  /** Steady requests per second. Range: greater than 0. */
  readonly rateLimit: number;
  /** The most requests in a burst. Range: 0 to 5,000 (the account-level burst quota). */
  readonly burstLimit: number;
}

// The few error classes the application throws. Each carries an HTTP status and a
// stable code; the error handler turns them into an HTML page or an RFC 9457 problem.

export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly title = 'Something went wrong',
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export class NotFoundError extends AppError {
  constructor(message = 'We could not find that page. It may have moved, or the address may be mistyped.') {
    super(404, 'not_found', message, 'Page not found');
  }
}

export class BadRequestError extends AppError {
  constructor(message: string, code = 'bad_request') {
    super(400, code, message, 'That request could not be understood');
  }
}

export class ForbiddenError extends AppError {
  constructor(message = 'You do not have permission to do that.', code = 'forbidden') {
    super(403, code, message, 'Not allowed');
  }
}

export class ConflictError extends AppError {
  constructor(message: string, code = 'conflict') {
    super(409, code, message, 'Someone else changed this');
  }
}

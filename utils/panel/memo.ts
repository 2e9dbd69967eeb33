/** Remember the last result of a function of one object argument (a Session, by identity). */
export function memoByRef<A extends object, R>(fn: (a: A) => R): (a: A) => R {
  let lastArg: A | undefined;
  let last: R;
  return (a) => {
    if (a !== lastArg) {
      last = fn(a);
      lastArg = a;
    }
    return last;
  };
}

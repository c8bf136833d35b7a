import { Link } from '@fluentui/react-components';
import { Fragment } from 'react';

const url = /(https?:\/\/[^\s<>"')]+)/g;

/** Plain text with its http(s) addresses as links (mailbox bodies). Nothing else is interpreted. */
export function Linkify({ text }: { text: string }) {
  const parts = text.split(url);
  return (
    <>
      {parts.map((part, i) =>
        i % 2 === 1 ? (
          <Link key={i} href={part} inline>
            {part}
          </Link>
        ) : (
          <Fragment key={i}>{part}</Fragment>
        ),
      )}
    </>
  );
}

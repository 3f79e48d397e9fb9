/**
 * Building DOM without markup: every string becomes a text node or an
 * attribute value, never HTML, so nothing that comes from a report can turn
 * into script. The dashboard never assigns innerHTML.
 */
export type Child = Node | string | number | null | undefined | false;

export interface Props {
  className?: string;
  data?: Record<string, string>;
  attrs?: Record<string, string>;
  title?: string;
  onClick?: (event: MouseEvent) => void;
}

export function el<K extends keyof HTMLElementTagNameMap>(tag: K, props: Props = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (props.className) node.className = props.className;
  if (props.title !== undefined) node.title = props.title;
  for (const [key, value] of Object.entries(props.data ?? {})) node.dataset[key] = value;
  for (const [key, value] of Object.entries(props.attrs ?? {})) {
    if (/^on/i.test(key)) throw new Error(`event handler attributes are not allowed: ${key}`);
    node.setAttribute(key, value);
  }
  const { onClick } = props;
  if (onClick) node.addEventListener('click', (event) => onClick(event as MouseEvent));
  append(node, children);
  return node;
}

export function append(parent: Node, children: Child[]): void {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    parent.appendChild(typeof child === 'string' || typeof child === 'number' ? document.createTextNode(String(child)) : child);
  }
}

/** Replaces an element's content with the given children. */
export function fill(parent: Element, ...children: Child[]): void {
  parent.replaceChildren();
  append(parent, children);
}

export function byId<T extends HTMLElement = HTMLElement>(id: string): T {
  const node = document.getElementById(id);
  if (!node) throw new Error(`#${id} is missing from index.html`);
  return node as T;
}
